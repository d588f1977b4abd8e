using DurablePipelines.Definitions;
using DurablePipelines.Durable.Activities;
using DurablePipelines.Durable.Hosting;
using DurablePipelines.Orchestration;
using DurablePipelines.Records;
using Microsoft.DurableTask;

namespace DurablePipelines.FunctionApp.Tests.Engine;

/// <summary>
/// Proves the engine tests would catch a non-deterministic orchestrator: the app's <c>RunPipeline</c> is wrapped so
/// that from its second episode on it first calls another activity, as if its code had changed while the run was
/// in flight. Replaying the first episode's history then fails the run, and the harness reports it.
/// </summary>
public sealed class NonDeterminismTests(InMemoryEngineFixture engine) : IClassFixture<InMemoryEngineFixture>
{
    [Fact]
    public async Task RunAsync_OrchestratorChangedBetweenEpisodes_FailsWithTheEnginesNonDeterminismError()
    {
        var changed = new ChangingOrchestrator(AppRunPipeline(), changeFromEpisode: 2);
        await using var hub = await engine.StartAnotherHubAsync(new Dictionary<string, ITaskOrchestrator> { [OrchestratorNames.RunPipeline] = changed });

        var failure = await Assert.ThrowsAsync<OrchestrationFailedException>(() => hub.RunAsync(Run("changed")));

        Assert.True(failure.Message.Contains("Non-Deterministic workflow detected", StringComparison.Ordinal) && failure.Message.Contains("'AppendRunLog'", StringComparison.Ordinal), failure.Message);
        Assert.True(changed.Episodes >= 2, "the run replayed at least once");
    }

    [Fact]
    public async Task RunAsync_SameWrapperUnchanged_Completes()
    {
        var unchanged = new ChangingOrchestrator(AppRunPipeline(), changeFromEpisode: int.MaxValue);
        await using var hub = await engine.StartAnotherHubAsync(new Dictionary<string, ITaskOrchestrator> { [OrchestratorNames.RunPipeline] = unchanged });

        var record = await hub.RunAsync(Run("unchanged"));

        Assert.Equal(RunStatus.Succeeded, record.Status);
        Assert.True(unchanged.Episodes >= 2, "the run replayed at least once");
    }

    private FunctionOrchestrator AppRunPipeline() =>
        new(AppFunctions.Orchestrators[OrchestratorNames.RunPipeline], engine.Hub.Converter, Microsoft.Extensions.Logging.Abstractions.NullLoggerFactory.Instance);

    private static RunPipelineInput Run(string name) => new()
    {
        RunId = $"{name}-{Guid.NewGuid():N}",
        Definition = new PipelineBuilder(name).Task("first", "echo").Task("second", "echo").Build(),
        Runner = "durable",
        CreatedAt = DateTime.UtcNow,
    };

    /// <summary>Runs the app's orchestrator, but from episode <c>changeFromEpisode</c> on first calls another activity.</summary>
    private sealed class ChangingOrchestrator(ITaskOrchestrator original, int changeFromEpisode) : ITaskOrchestrator
    {
        private int _episodes;

        public int Episodes => Volatile.Read(ref _episodes);

        public Type InputType => original.InputType;

        public Type OutputType => original.OutputType;

        public async Task<object?> RunAsync(TaskOrchestrationContext context, object? input)
        {
            if (Interlocked.Increment(ref _episodes) >= changeFromEpisode)
            {
                await context.CallActivityAsync(RunStoreActivities.AppendRunLog, new AppendRunLogRequest(context.InstanceId, []));
            }

            return await original.RunAsync(context, input);
        }
    }
}
