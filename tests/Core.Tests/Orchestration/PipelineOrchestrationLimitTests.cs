using System.Text.Json.Nodes;
using DurablePipelines.Definitions;
using DurablePipelines.Orchestration;
using DurablePipelines.Records;

namespace DurablePipelines.Tests.Orchestration;

/// <summary>
/// A runner with a limit of its own (the in-process runners): the orchestration keeps within it, so every call it makes
/// starts at once, and work waiting for a slot is checked again when it gets one (rules 4 and 6).
/// </summary>
public sealed class PipelineOrchestrationLimitTests
{
    private static readonly DateTime s_created = new(2026, 11, 23, 0, 0, 0, DateTimeKind.Utc);

    // "other" holds one of the two slots, so the second lane of "each" waits for one while result 0 runs. Result 0
    // fails and frees its slot: the lane that gets it must see the failure and start nothing (rule 4).
    [Fact]
    public void RunPipelineAsync_LaneWaitingForASlotWhenAResultOfItsTaskFails_StartsNothing()
    {
        var definition = new PipelineBuilder("rule4")
            .Task("other", "work", t => t.After())
            .Task("each", "work", t => t.After().ForEach("input.items").MaxConcurrency(2))
            .Build();
        var history = new ScriptedHistory { MaxConcurrentActivities = 2 };

        var run = Drive(history, definition, new JsonObject { ["items"] = new JsonArray(0, 1, 2) }, "run-1/0/each/0/1", "each/0");

        var each = run.PipelineResults[0].TaskExecutions.Single(t => t.Task == "each");
        Assert.Equal([RunStatus.Failed, RunStatus.Cancelled, RunStatus.Cancelled], each.TaskResults.Select(r => r.Status));
        Assert.All(each.TaskResults.Skip(1), r => Assert.Equal((0, "not started: another result of this task failed"), (r.Attempts, r.Error!.Message)));
        Assert.DoesNotContain(history.Calls, c => c.Contains("/each/1/", StringComparison.Ordinal) || c.Contains("/each/2/", StringComparison.Ordinal));
    }

    // The eager race of rule 6 (limit 1): "boom" waits for "slow"'s slot; "slow" succeeds, "after-slow" is ready and
    // waits behind "boom", which fails. "after-slow" never started: it ends Cancelled with no start time.
    [Fact]
    public void RunPipelineAsync_TaskWaitingBehindAFailFastFailure_NeverStarts()
    {
        var definition = new PipelineBuilder("fail-fast")
            .FailFast()
            .Task("slow", "work", t => t.After())
            .Task("after-slow", "work", t => t.After("slow"))
            .Task("boom", "work", t => t.After())
            .Build();
        var history = new ScriptedHistory { MaxConcurrentActivities = 1 };

        var run = Drive(history, definition, null, "run-1/0/slow/0/1", "boom/0");

        var afterSlow = run.PipelineResults[0].TaskExecutions.Single(t => t.Task == "after-slow");
        Assert.Equal(RunStatus.Cancelled, afterSlow.Status);
        Assert.Null(afterSlow.StartedAt);
        Assert.Equal("not started: a task failed and the pipeline is failFast", afterSlow.Error!.Message);
        Assert.Equal(["activity RunTaskResult run-1/0/slow/0/1", "activity RunTaskResult run-1/0/boom/0/1"], history.Calls);
    }

    // Pipeline results share the run's slots, and a chunked task shares its pipeline result's: with a limit of two,
    // never more than two calls are in flight, and two are.
    [Fact]
    public void RunPipelineAsync_PipelineResultsAndChunks_ShareTheRunnersLimit()
    {
        var definition = new PipelineBuilder("shared")
            .ForEach("input.regions")
            .Task("single", "work", t => t.After())
            .Task("each", "work", t => t.After().ForEach("input.items").MaxConcurrency(4))
            .Build();
        var input = new JsonObject { ["regions"] = new JsonArray("eu", "us", "apac"), ["items"] = new JsonArray(0, 1, 2, 3, 4) };
        var history = new ScriptedHistory { MaxConcurrentActivities = 2 };

        var run = Drive(history, definition, input, settings: new OrchestrationSettings { ChunkSize = 2 });

        Assert.Equal(RunStatus.Succeeded, run.Status);
        Assert.All(run.PipelineResults, r => Assert.Equal(5, r.TaskExecutions.Single(t => t.Task == "each").TaskResults.Count));
        Assert.Contains("sub-orchestration RunTaskChunk run-1:p2:each:c2", history.Calls);
        Assert.Equal(2, history.MostPending);
    }

    /// <summary>
    /// Runs <paramref name="definition"/>, completing the pending calls with the keys <paramref name="first"/> first,
    /// then the others in call order; the results of <paramref name="failing"/> (<c>task/index</c>) fail.
    /// </summary>
    private static PipelineExecution Drive(ScriptedHistory history, PipelineDefinition definition, JsonNode? input, string? first = null, string? failing = null, OrchestrationSettings? settings = null)
    {
        var run = new RunPipelineInput { RunId = "run-1", Definition = definition, Input = input, CreatedAt = s_created, Settings = settings ?? new OrchestrationSettings() };
        return history.Drive(
            c => PipelineOrchestration.RunPipelineAsync(c, run),
            pending =>
            {
                Assert.True(pending.Count <= history.MaxConcurrentActivities, $"{pending.Count} calls in flight");
                var index = first is null ? -1 : pending.ToList().FindIndex(p => p.Input.Key == first);
                first = index < 0 ? first : null;
                return Math.Max(0, index);
            },
            call =>
            {
                var request = (TaskResultRequest)call.Input;
                var fails = $"{request.Task}/{request.TaskResult}" == failing;
                return new TaskResultOutcome
                {
                    Succeeded = !fails,
                    Error = fails ? new TaskError("System.InvalidOperationException", "boom") : null,
                    Output = request.TaskItem?.DeepClone(),
                    StartedAt = s_created,
                    FinishedAt = s_created,
                };
            });
    }
}
