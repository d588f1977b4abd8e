namespace DurablePipelines.Orchestration;

/// <summary>Watching an orchestration instance's external events of one name, one after another.</summary>
internal static class ExternalEvents
{
    /// <summary>
    /// Hands every event <paramref name="name"/> the instance receives to <paramref name="handle"/>, in the order
    /// received, until <paramref name="stopWatching"/> fires.
    /// </summary>
    public static async Task WatchAsync<TEvent>(this IOrchestrationContext context, string name, Action<TEvent> handle, CancellationToken stopWatching)
    {
        while (true)
        {
            TEvent payload;
            try
            {
                payload = await context.WaitForExternalEvent<TEvent>(name, stopWatching);
            }
            catch (OperationCanceledException)
            {
                return;
            }

            handle(payload);
        }
    }
}
