using System.Text.Json.Nodes;
using DurablePipelines.Handlers;

namespace DurablePipelines.LocalHost.Tests.Serve;

/// <summary>
/// <c>held</c>: runs until the test releases it (or its host shuts down), so a run stays active exactly as long as a
/// test needs it to, instead of sleeping long enough for a loaded machine.
/// </summary>
internal sealed class HeldTask : IPipelineTask
{
    public const string Name = "held";

    private readonly TaskCompletionSource _release = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Lets every running and later execution end.</summary>
    public void Release() => _release.TrySetResult();

    public async Task<JsonNode?> ExecuteAsync(TaskContext context, CancellationToken cancellationToken)
    {
        await _release.Task.WaitAsync(cancellationToken);
        return new JsonObject { ["released"] = true };
    }
}
