namespace DurablePipelines.Tests.LocalDurable;

/// <summary>Waits, polling, for something another thread makes true; fails the test after 10 s.</summary>
internal static class Eventually
{
    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(10);

    public static async Task TrueAsync(Func<bool> condition, string what)
    {
        var deadline = DateTime.UtcNow + Limit;
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, $"not within {Limit.TotalSeconds} s: {what}");
            await Task.Delay(5);
        }
    }

    public static async Task<T> ValueAsync<T>(Func<T?> probe, string what)
        where T : class
    {
        T? value = null;
        await TrueAsync(() => (value = probe()) is not null, what);
        return value!;
    }
}
