using System.Text.Json.Nodes;
using DurablePipelines.Orchestration;

namespace DurablePipelines.Tests.Orchestration;

public sealed class PayloadOffloaderTests
{
    [Fact]
    public void IsLarge_JsonExactlyAtTheLimit_IsNotLargeOneByteMoreIs()
    {
        var value = new JsonObject { ["text"] = new string('a', 300), ["n"] = 12 };
        var length = System.Text.Encoding.UTF8.GetByteCount(value.ToJsonString());

        Assert.False(PayloadOffloader.IsLarge(value, length));
        Assert.True(PayloadOffloader.IsLarge(value, length - 1));
    }

    [Fact]
    public void IsLarge_EscapedAndLongValues_CountTheWrittenBytes()
    {
        // Non-ASCII is written escaped (\u00E9), six bytes a character; a long value outgrows any first buffer.
        var value = new JsonArray(new string('\u00e9', 2000), new string('b', 10_000));
        var length = System.Text.Encoding.UTF8.GetByteCount(value.ToJsonString());

        Assert.Equal(2000 * 6 + 10_000 + 7, length);
        Assert.False(PayloadOffloader.IsLarge(value, length));
        Assert.True(PayloadOffloader.IsLarge(value, length - 1));
        Assert.False(PayloadOffloader.IsLarge(null, 0));
    }
}
