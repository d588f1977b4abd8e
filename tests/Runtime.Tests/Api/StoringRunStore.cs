using System.Text.Json;
using DurablePipelines.Orchestration;
using DurablePipelines.Records;

namespace DurablePipelines.Tests.Api;

/// <summary>
/// An in-memory run store that first writes every record as the blob store does (the admitted run in the same
/// document, one level down) with the stores' serializer options, and reads it back: what this store accepts, a
/// real store can store.
/// </summary>
public sealed class StoringRunStore : IRunStore
{
    private static readonly JsonDocumentOptions s_reading = new() { MaxDepth = JsonLimits.MaxDepth };

    private readonly InMemoryRunStore _inner = new();

    public Task<RunClaim> TryCreateAsync(PipelineExecution record, RunPipelineInput? admitted, CancellationToken cancellationToken)
    {
        Write(record, admitted);
        return _inner.TryCreateAsync(record, admitted, cancellationToken);
    }

    public Task SaveAsync(PipelineExecution record, CancellationToken cancellationToken)
    {
        Write(record, null);
        return _inner.SaveAsync(record, cancellationToken);
    }

    public Task PinAsync(RunPipelineInput admitted, CancellationToken cancellationToken) => _inner.PinAsync(admitted, cancellationToken);

    public Task<RunPipelineInput?> GetAdmittedAsync(string runId, CancellationToken cancellationToken) => _inner.GetAdmittedAsync(runId, cancellationToken);

    public Task<RunPipelineInput?> GetPinnedAsync(string runId, CancellationToken cancellationToken) => _inner.GetPinnedAsync(runId, cancellationToken);

    public Task<bool> MarkStartedAsync(string runId, DateTime createdAt, DateTime startedAt, CancellationToken cancellationToken) =>
        _inner.MarkStartedAsync(runId, createdAt, startedAt, cancellationToken);

    public Task<PipelineExecution?> GetAsync(string runId, CancellationToken cancellationToken) => _inner.GetAsync(runId, cancellationToken);

    public Task<IReadOnlyList<PipelineExecution>> ListAsync(RunQuery query, CancellationToken cancellationToken) => _inner.ListAsync(query, cancellationToken);

    public Task AppendLogAsync(string runId, IReadOnlyList<StateChange> rows, CancellationToken cancellationToken) => _inner.AppendLogAsync(runId, rows, cancellationToken);

    public Task<IReadOnlyList<StateChange>> GetLogAsync(string runId, CancellationToken cancellationToken) => _inner.GetLogAsync(runId, cancellationToken);

    private static void Write(PipelineExecution record, RunPipelineInput? admitted)
    {
        var node = JsonSerializer.SerializeToNode(record, PipelineJson.Options)!.AsObject();
        node["$admitted"] = admitted is null ? null : JsonSerializer.SerializeToNode(admitted, PipelineJson.Options);
        var bytes = JsonSerializer.SerializeToUtf8Bytes(node, PipelineJson.Options);
        using var document = JsonDocument.Parse(bytes, s_reading);
        JsonSerializer.Deserialize<PipelineExecution>(bytes, PipelineJson.Options);
    }
}
