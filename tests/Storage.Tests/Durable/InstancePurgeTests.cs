using DurablePipelines.Storage.Durable;

namespace DurablePipelines.Storage.Tests.Durable;

public sealed class InstancePurgeTests
{
    private static readonly string[] s_staying = Sorted("run-10", "run-1-again", "run-2", "run-3:0", "other");

    [Theory]
    [InlineData("run-1", true)] // run-10 and run-1-again begin with it
    [InlineData("run-3", true)] // its chunk run-3:0 stays
    [InlineData("run-2", false)] // only itself
    [InlineData("run-20", false)]
    [InlineData("ot", true)]
    [InlineData("zzz", false)] // after every id
    [InlineData("a", false)] // before every id
    public void BeginsAnother_OnlyWhenALongerStayingIdBeginsWithIt(string id, bool expected)
    {
        Assert.Equal(expected, InstancePurge.BeginsAnother(id, s_staying));
    }

    [Fact]
    public void BeginsAnother_NothingStays_False()
    {
        Assert.False(InstancePurge.BeginsAnother("run-1", []));
    }

    private static string[] Sorted(params string[] ids)
    {
        Array.Sort(ids, StringComparer.Ordinal);
        return ids;
    }
}
