using System.Text.Json.Nodes;
using DurablePipelines.Definitions;
using DurablePipelines.Orchestration;
using DurablePipelines.Records;

namespace DurablePipelines.Tests.Conformance;

/// <summary>Approval gates and external events: the <c>wait</c> handler (docs/rules.md, Waiting for events), on every runner.</summary>
public abstract partial class RunnerConformanceTests
{
    private static JsonObject WaitFor(string name) => new() { ["event"] = name };

    [Fact]
    public async Task Wait_ResultWaitsForItsEvent_OutputIsTheBodyAndChildrenSeeIt()
    {
        var definition = new PipelineBuilder("approval")
            .Task("gate", "wait", t => t.Config(WaitFor("approval")))
            .Task("after", "echo", t => t.After("gate"))
            .Build();
        var (runId, completion) = StartRun(definition, null, new OrchestrationSettings(), CancellationToken.None);

        await WaitForProgressAsync(runId, completion, p => p.RunningTasks.Contains("gate"));
        await Task.Delay(LongTaskMs / 2);
        Assert.False(completion.IsCompleted);
        await RaiseEventAsync(runId, "approval", new JsonObject { ["approvedBy"] = "ann" });
        var run = await completion.WaitAsync(s_progressTimeout);

        Assert.Equal(RunStatus.Succeeded, run.Status);
        var result = Assert.Single(run.PipelineResults);
        var gate = RecordAssert.Task(result, "gate");
        Assert.Equal("ann", gate.TaskResults[0].Output!["approvedBy"]!.GetValue<string>());
        Assert.Equal(1, gate.TaskResults[0].Attempts);
        var after = RecordAssert.Task(result, "after");
        Assert.True(after.StartedAt >= gate.FinishedAt);
        Assert.Equal("ann", after.TaskResults[0].Output!["parents"]!["gate"]!["approvedBy"]!.GetValue<string>());
    }

    // An event raised before a result begins to wait is kept for it, and every task waiting for one name gets it.
    [Fact]
    public async Task Wait_EventRaisedBeforeTheWait_IsKeptAndReachesEveryTaskWaitingForIt()
    {
        var definition = new PipelineBuilder("approval-early")
            .Task("slow", "sleep", t => t.Config(Sleep(LongTaskMs)))
            .Task("legal", "wait", t => t.After("slow").Config(WaitFor("go")))
            .Task("finance", "wait", t => t.After("slow").Config(WaitFor("go")))
            .Build();
        var (runId, completion) = StartRun(definition, null, new OrchestrationSettings(), CancellationToken.None);

        await WaitForProgressAsync(runId, completion, p => p.RunningTasks.Contains("slow"));
        await RaiseEventAsync(runId, "go", JsonValue.Create("yes"));
        var run = await completion.WaitAsync(s_progressTimeout);

        Assert.Equal(RunStatus.Succeeded, run.Status);
        var result = Assert.Single(run.PipelineResults);
        Assert.All(new[] { "legal", "finance" }, name => Assert.Equal("yes", RecordAssert.Task(result, name).TaskResults[0].Output!.GetValue<string>()));
    }

    // Per item: "{item}" in the event name addresses one result of the iterator; on the eager runner too the results
    // wait at once (a waiting result holds no slot), so the second item's event can end its wait first.
    [Fact]
    public async Task Wait_PerItem_EachResultWaitsForItsOwnEvent()
    {
        var definition = new PipelineBuilder("approval-items")
            .Task("sign", "wait", t => t.ForEach("input.orders").Config(WaitFor("sign-{item}")))
            .Build();
        var (runId, completion) = StartRun(definition, new JsonObject { ["orders"] = new JsonArray("a-1", "b-2") }, new OrchestrationSettings(), CancellationToken.None);

        await WaitForProgressAsync(runId, completion, p => p.Results.Running == 2);
        await RaiseEventAsync(runId, "sign-b-2", JsonValue.Create("bob"));
        await WaitForProgressAsync(runId, completion, p => p.Results.Succeeded == 1);
        await RaiseEventAsync(runId, "sign-a-1", JsonValue.Create("alice"));
        var run = await completion.WaitAsync(s_progressTimeout);

        var sign = RecordAssert.Task(Assert.Single(run.PipelineResults), "sign");
        Assert.Equal(["alice", "bob"], sign.TaskResults.Select(r => r.Output!.GetValue<string>()));
        Assert.True(sign.TaskResults[1].FinishedAt <= sign.TaskResults[0].FinishedAt);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Wait_Timeout_FailsTheResultOrGivesTheDefault(bool withDefault)
    {
        var config = new JsonObject { ["event"] = "never", ["timeout"] = "00:00:00.500" };
        if (withDefault)
        {
            config["onTimeout"] = "default";
            config["default"] = new JsonObject { ["approved"] = false };
        }

        var definition = new PipelineBuilder("approval-timeout")
            .Task("gate", "wait", t => t.Config(config).Retry(3))
            .Build();

        var run = await RunAsync(definition);

        var gate = RecordAssert.Task(Assert.Single(run.PipelineResults), "gate").TaskResults[0];
        Assert.Equal(1, gate.Attempts);
        if (withDefault)
        {
            Assert.Equal(RunStatus.Succeeded, gate.Status);
            Assert.False(gate.Output!["approved"]!.GetValue<bool>());
        }
        else
        {
            Assert.Equal(RunStatus.Failed, gate.Status);
            Assert.Equal(("System.TimeoutException", "no event 'never' within 00:00:00.5000000"), (gate.Error!.Type, gate.Error.Message));
            Assert.Equal(RunStatus.Failed, run.Status);
        }
    }

    [Fact]
    public async Task Wait_CancelOfTheRun_EndsTheWait()
    {
        var definition = new PipelineBuilder("approval-cancel")
            .Task("gate", "wait", t => t.Config(WaitFor("approval")))
            .Task("after", "echo", t => t.After("gate"))
            .Build();
        using var cancel = new CancellationTokenSource();
        var (runId, completion) = StartRun(definition, null, new OrchestrationSettings(), cancel.Token);

        await WaitForProgressAsync(runId, completion, p => p.RunningTasks.Contains("gate"));
        await cancel.CancelAsync();
        var run = await completion.WaitAsync(s_progressTimeout);

        Assert.Equal(RunStatus.Terminated, run.Status);
        var result = Assert.Single(run.PipelineResults);
        var gate = RecordAssert.Task(result, "gate").TaskResults[0];
        Assert.Equal(RunStatus.Failed, gate.Status);
        Assert.Equal((TaskErrorTypes.Cancelled, "the run was stopped while the result waited for event 'approval'"), (gate.Error!.Type, gate.Error.Message));
        Assert.Equal(RunStatus.Cancelled, RecordAssert.Task(result, "after").Status);
    }
}
