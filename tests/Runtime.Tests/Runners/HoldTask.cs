using System.Text.Json.Nodes;
using DurablePipelines.Handlers;

namespace DurablePipelines.Tests.Runners;

/// <summary>A handler that runs until the test releases it, and notes the async-local the test gave it.</summary>
internal sealed class HoldTask : IPipelineTask
{
    private readonly TaskCompletionSource _entered = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _release = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>A value a test flows to the handler through its execution context.</summary>
    public static AsyncLocal<string?> Flowing { get; } = new();

    public Task Entered => _entered.Task;

    public string? SawFlowing { get; private set; }

    public void Release() => _release.TrySetResult();

    public async Task<JsonNode?> ExecuteAsync(TaskContext context, CancellationToken cancellationToken)
    {
        SawFlowing = Flowing.Value;
        _entered.TrySetResult();
        await _release.Task.WaitAsync(cancellationToken);
        return null;
    }
}
