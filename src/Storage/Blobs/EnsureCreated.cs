namespace DurablePipelines.Storage.Blobs;

/// <summary>
/// Creates a container or queue the first time it is used, so no host needs a setup step. Concurrent first
/// callers may all ask: create-if-not-exists is idempotent, and a failure is retried by the next call.
/// </summary>
internal sealed class EnsureCreated(Func<CancellationToken, Task> create)
{
    private volatile bool _created;

    public async ValueTask EnsureAsync(CancellationToken cancellationToken)
    {
        if (_created)
        {
            return;
        }

        await create(cancellationToken);
        _created = true;
    }
}
