using System.Text;
using DurablePipelines.Api;
using DurablePipelines.Orchestration;
using DurablePipelines.Records;

namespace DurablePipelines.Tests.Api;

/// <summary>
/// <c>POST /api/runs/{runId}/results/{pipelineResult}/{task}/{taskResult}/{action}</c> on the real API: what it hands to
/// the run, and how it decides from the run's progress whether the result waits for an operator.
/// </summary>
public sealed class PipelineApiRepairTests : IDisposable
{
    private static readonly Uri s_base = new("http://localhost/");
    private readonly ApiHarness _harness = new();

    public void Dispose() => _harness.Dispose();

    [Fact]
    public async Task RepairResultAsync_ListedAsWaiting_202AndTheRunGetsTheAction()
    {
        await StartAsync("fan-1", Waiting(1, total: 1));

        var answer = await RepairAsync("fan-1", "1", "retry", """{ "by": "ann", "item": 7 }""");

        Assert.Equal(202, answer.StatusCode);
        Assert.Equal("/api/runs/fan-1", answer.Location);
        var (runId, repair) = Assert.Single(_harness.Scheduler.Repairs);
        Assert.Equal(("fan-1", 0, "each", 1, RepairAction.Retry, "ann", 7), (runId, repair.PipelineResult, repair.Task, repair.TaskResult, repair.Action, repair.By, repair.Item!.GetValue<int>()));
    }

    [Fact]
    public async Task RepairResultAsync_NotListedAndEveryWaitingResultListed_409()
    {
        await StartAsync("fan-2", Waiting(1, total: 1));

        var answer = await RepairAsync("fan-2", "0", "skip", string.Empty);

        Assert.Equal(409, answer.StatusCode);
        Assert.Equal("result '0/each/0' of run 'fan-2' does not wait for an operator", answer.Body!["detail"]!.GetValue<string>());
        Assert.Empty(_harness.Scheduler.Repairs);
    }

    // The progress lists the first 50 waiting results: an action on one past them is handed to the run, which drops it
    // if the result does not wait.
    [Fact]
    public async Task RepairResultAsync_NotListedButMoreWaitThanListed_202HandedToTheRun()
    {
        await StartAsync("fan-3", Waiting(1, total: 51));

        var answer = await RepairAsync("fan-3", "60", "fail", string.Empty);

        Assert.Equal(202, answer.StatusCode);
        Assert.Equal(60, Assert.Single(_harness.Scheduler.Repairs).Repair.TaskResult);
    }

    [Fact]
    public async Task RepairResultAsync_NoProgressYet_409()
    {
        await StartAsync("fan-4", null);

        var answer = await RepairAsync("fan-4", "1", "fail", string.Empty);

        Assert.Equal(409, answer.StatusCode);
    }

    [Fact]
    public async Task RepairResultAsync_ItemForATaskWithoutIterator_400WithThePath()
    {
        Assert.Equal(202, (await _harness.Api.StartRunAsync("hello", Body("""{"runId":"hello-1"}"""), s_base, default)).StatusCode);

        var answer = await _harness.Api.RepairResultAsync("hello-1", "0", "say", "0", "retry", Body("""{ "item": 1, "output": 2 }"""), default);

        Assert.Equal(400, answer.StatusCode);
        Assert.Equal(["$.output"], answer.Body!["errors"]!.AsArray().Select(e => e!["path"]!.GetValue<string>()));
        var itemOnly = await _harness.Api.RepairResultAsync("hello-1", "0", "say", "0", "retry", Body("""{ "item": 1 }"""), default);
        Assert.Equal(["$.item"], itemOnly.Body!["errors"]!.AsArray().Select(e => e!["path"]!.GetValue<string>()));
    }

    private async Task StartAsync(string runId, RunProgress? progress)
    {
        Assert.Equal(202, (await _harness.Api.StartRunAsync("fan", Body($$$"""{"runId":"{{{runId}}}","input":{"items":[1,2]}}"""), s_base, default)).StatusCode);
        if (progress is not null)
        {
            _harness.Scheduler.Progress[runId] = progress with { InstanceId = runId };
        }
    }

    private static RunProgress Waiting(int taskResult, int total) => new()
    {
        InstanceId = "run",
        Tasks = new StatusCounts(0, 1, 0, 0, 0),
        Results = new StatusCounts(0, 2, 0, 0, 0),
        Waiting = [new WaitingResult(0, "each", taskResult, 1, new TaskError("System.Exception", "boom"), DateTime.UtcNow, null)],
        WaitingCount = total,
    };

    private Task<ApiResponse> RepairAsync(string runId, string taskResult, string action, string body) =>
        _harness.Api.RepairResultAsync(runId, "0", "each", taskResult, action, Body(body), default);

    private static MemoryStream Body(string text) => new(Encoding.UTF8.GetBytes(text));
}
