namespace DurablePipelines.Tests.Orchestration;

/// <summary>Waits, polling, for something another thread makes true; fails the test after 10 s.</summary>
internal static class Eventually
{
    private static readonly TimeSpan s_limit = TimeSpan.FromSeconds(10);

    public static async Task TrueAsync(Func<bool> condition, string what)
    {
        var deadline = DateTime.UtcNow + s_limit;
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, $"not within {s_limit.TotalSeconds} s: {what}");
            await Task.Delay(5);
        }
    }
}
