using DurablePipelines.Orchestration;
using DurablePipelines.Records;
using DurablePipelines.Storage.Blobs;

namespace DurablePipelines.Storage.Records;

/// <summary>
/// The run store the HTTP API answers from (<see cref="RunStoreKeys.Interactive"/>): a <see cref="BlobRunStore"/>
/// over clients that retry a few times quickly (<see cref="StorageUse.Interactive"/>), every call cut at
/// <c>timeout</c>. Storage that is down, busy or too slow is thrown as <see cref="RunStoreUnavailableException"/>,
/// which the API answers 503; anything else (a refusal, a bug) passes unchanged, and so does the caller's own
/// cancellation.
/// </summary>
internal sealed class InteractiveRunStore(BlobRunStore inner, TimeSpan timeout, TimeProvider time) : IRunStore
{
    public Task<RunClaim> TryCreateAsync(PipelineExecution record, RunPipelineInput? admitted, CancellationToken cancellationToken) =>
        CallAsync(ct => inner.TryCreateAsync(record, admitted, ct), cancellationToken);

    public Task PinAsync(RunPipelineInput admitted, CancellationToken cancellationToken) =>
        CallAsync(async ct => { await inner.PinAsync(admitted, ct); return true; }, cancellationToken);

    public Task<RunPipelineInput?> GetAdmittedAsync(string runId, CancellationToken cancellationToken) =>
        CallAsync(ct => inner.GetAdmittedAsync(runId, ct), cancellationToken);

    public Task<RunPipelineInput?> GetPinnedAsync(string runId, CancellationToken cancellationToken) =>
        CallAsync(ct => inner.GetPinnedAsync(runId, ct), cancellationToken);

    public Task SaveAsync(PipelineExecution record, CancellationToken cancellationToken) =>
        CallAsync(async ct => { await inner.SaveAsync(record, ct); return true; }, cancellationToken);

    public Task<bool> MarkStartedAsync(string runId, DateTime createdAt, DateTime startedAt, CancellationToken cancellationToken) =>
        CallAsync(ct => inner.MarkStartedAsync(runId, createdAt, startedAt, ct), cancellationToken);

    public Task<PipelineExecution?> GetAsync(string runId, CancellationToken cancellationToken) =>
        CallAsync(ct => inner.GetAsync(runId, ct), cancellationToken);

    public Task<IReadOnlyList<PipelineExecution>> ListAsync(RunQuery query, CancellationToken cancellationToken) =>
        CallAsync(ct => inner.ListAsync(query, ct), cancellationToken);

    public Task AppendLogAsync(string runId, IReadOnlyList<StateChange> rows, CancellationToken cancellationToken) =>
        CallAsync(async ct => { await inner.AppendLogAsync(runId, rows, ct); return true; }, cancellationToken);

    public Task<IReadOnlyList<StateChange>> GetLogAsync(string runId, CancellationToken cancellationToken) =>
        CallAsync(ct => inner.GetLogAsync(runId, ct), cancellationToken);

    private async Task<T> CallAsync<T>(Func<CancellationToken, Task<T>> call, CancellationToken cancellationToken)
    {
        using var deadline = new CancellationTokenSource(timeout, time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, deadline.Token);
        try
        {
            return await call(linked.Token);
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested && deadline.IsCancellationRequested)
        {
            throw new RunStoreUnavailableException($"storage did not answer within {timeout.TotalSeconds:0.###} s", ex);
        }
        catch (Exception ex) when (StorageFailures.IsUnavailable(ex, cancellationToken))
        {
            throw new RunStoreUnavailableException($"storage cannot be reached: {StorageFailures.Reason(ex)}", ex);
        }
    }
}
