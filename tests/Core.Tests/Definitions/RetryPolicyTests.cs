using DurablePipelines.Definitions;

namespace DurablePipelines.Tests.Definitions;

public class RetryPolicyTests
{
    [Theory]
    [InlineData(1, 2)]
    [InlineData(2, 4)]
    [InlineData(3, 8)]
    [InlineData(4, 16)]
    public void DelayAfter_Backoff_MultipliesTheDelayPerRetry(int attempt, int seconds)
    {
        var policy = new RetryPolicy { Attempts = 5, Delay = TimeSpan.FromSeconds(2), Backoff = 2.0 };

        Assert.Equal(TimeSpan.FromSeconds(seconds), policy.DelayAfter(attempt));
    }

    [Theory]
    [InlineData(1, 2)]
    [InlineData(2, 4)]
    [InlineData(3, 5)]
    [InlineData(10, 5)]
    public void DelayAfter_MaxDelay_CapsTheWait(int attempt, int seconds)
    {
        var policy = new RetryPolicy { Attempts = 10, Delay = TimeSpan.FromSeconds(2), Backoff = 2.0, MaxDelay = TimeSpan.FromSeconds(5) };

        Assert.Equal(TimeSpan.FromSeconds(seconds), policy.DelayAfter(attempt));
    }

    [Fact]
    public void DelayAfter_NoBackoff_WaitsTheSameEveryTime()
    {
        var policy = new RetryPolicy { Attempts = 3, Delay = TimeSpan.FromMilliseconds(250) };

        Assert.Equal(TimeSpan.FromMilliseconds(250), policy.DelayAfter(1));
        Assert.Equal(TimeSpan.FromMilliseconds(250), policy.DelayAfter(2));
    }

    [Fact]
    public void DelayAfter_Defaults_NeverWait()
    {
        Assert.Equal(TimeSpan.Zero, new RetryPolicy().DelayAfter(1));
    }

    [Fact]
    public void DelayAfter_HugeBackoff_StopsAtTheLargestDurationInsteadOfOverflowing()
    {
        var policy = new RetryPolicy { Attempts = 100, Delay = TimeSpan.FromHours(1), Backoff = 100 };

        Assert.Equal(TimeSpan.MaxValue, policy.DelayAfter(100));
        Assert.Equal(TimeSpan.FromDays(1), (policy with { MaxDelay = TimeSpan.FromDays(1) }).DelayAfter(100));
    }
}
