using System.Diagnostics;
using System.Globalization;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using DurablePipelines.Definitions;
using DurablePipelines.Execution;
using DurablePipelines.Hosting;
using DurablePipelines.LocalHost.Hosting;
using DurablePipelines.Orchestration;
using DurablePipelines.Records;
using DurablePipelines.Runners;
using Microsoft.Extensions.DependencyInjection;

namespace DurablePipelines.LocalHost.Tests.Execution;

/// <summary>
/// The <c>process</c> execution with dp's own program as the task process (<c>dp --dp-task-process</c>), on the
/// in-process runners and the Durable Task engine: results run in child processes, a child that ignores its token is
/// killed at the timeout and is gone, a crash fails only its attempt with the exit code, and executions mix.
/// </summary>
public sealed partial class ProcessExecutionTests
{
    // The test host is not dp: the children are started from dp's program, which the build copies next to the tests.
    private static readonly string s_dp = Path.Combine(AppContext.BaseDirectory, "DurablePipelines.LocalHost");

    [Theory]
    [InlineData("eager")]
    [InlineData("parallel")]
    [InlineData("durable")]
    public async Task MixedExecutions_ProcessResultsRunInChildProcesses_TheRunSucceeds(string runner)
    {
        var definition = new PipelineBuilder("mixed-process")
            .Task("a", "echo", t => t.ForEach("input.items").Execution(Executions.Process).Config(new JsonObject { ["step"] = "a" }))
            .Task("b", "echo", t => t.After("a").Execution(Executions.Thread))
            .Task("c", "echo", t => t.After("a").Execution(Executions.Main))
            .Task("d", "echo", t => t.After("b", "c").Execution(Executions.Process))
            .Build();

        var run = await RunAsync(runner, definition, new JsonObject { ["items"] = new JsonArray(1, 2, 3) });

        Assert.True(run.Status == RunStatus.Succeeded, run.Error?.Message ?? string.Join("; ", run.PipelineResults[0].TaskExecutions.SelectMany(t => t.TaskResults).Select(r => r.Error?.Message)));
        var d = RecordAssert(run, "d").Output!;
        Assert.Equal(3, d["parents"]!["b"]!["parents"]!["a"]!.AsArray().Count);
        Assert.Equal("a", d["parents"]!["c"]!["parents"]!["a"]![0]!["config"]!["step"]!.GetValue<string>());
    }

    [Theory]
    [InlineData("parallel")]
    [InlineData("durable")]
    public async Task HandlerIgnoringItsToken_TheProcessIsKilledAtTheTimeout_AndIsGone(string runner)
    {
        var definition = new PipelineBuilder("spin")
            .Task("spin", "sleep", t => t.Config(new JsonObject { ["ms"] = 60_000, ["ignoreCancellation"] = true, ["blocking"] = true })
                .Execution(Executions.Process).Timeout(TimeSpan.FromSeconds(2)))
            .Build();
        var clock = Stopwatch.StartNew();

        var run = await RunAsync(runner, definition, null);

        var result = RecordAssert(run, "spin");
        Assert.Equal(RunStatus.Failed, result.Status);
        Assert.Equal(typeof(TimeoutException).FullName, result.Error!.Type);
        var match = KilledPid().Match(result.Error.Message);
        Assert.True(match.Success, result.Error.Message);
        var pid = int.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture);
        Assert.Throws<ArgumentException>(() => Process.GetProcessById(pid));
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(30), $"the run took {clock.Elapsed}");
    }

    [Fact]
    public async Task HandlerError_InTheChild_IsRecordedWithItsTypeAndMessage()
    {
        var definition = new PipelineBuilder("child-error")
            .Task("broken", "fail", t => t.Config(new JsonObject { ["message"] = "no such table" }).Execution(Executions.Process))
            .Build();

        var result = RecordAssert(await RunAsync("eager", definition, null), "broken");

        Assert.Equal(("DurablePipelines.Handlers.BuiltIn.TaskFailedOnPurposeException", "no such table"), (result.Error!.Type, result.Error.Message));
    }

    // A child that dies without answering fails only its attempt, with its exit code; a retry starts a new process.
    [Fact]
    public async Task Crash_FailsTheAttemptWithTheExitCode_ARetryStartsANewProcess()
    {
        var definition = new PipelineBuilder("crash")
            .Task("crash", "echo", t => t.Execution(Executions.Process).Retry(2))
            .Task("after", "echo", t => t.After())
            .Build();

        var run = await RunAsync("parallel", definition, null, ["/bin/sh", "-c", "cat > /dev/null; echo dying >&2; exit 3"]);

        var result = RecordAssert(run, "crash");
        Assert.Equal((RunStatus.Failed, 2), (result.Status, result.Attempts));
        Assert.Equal(typeof(TaskProcessException).FullName, result.Error!.Type);
        Assert.Matches(@"^the task process \(pid \d+\) exited with code 3 without an answer: dying$", result.Error.Message);
        Assert.Equal(RunStatus.Succeeded, RecordAssert(run, "after").Status);
    }

    private static TaskResult RecordAssert(PipelineExecution run, string task) =>
        run.PipelineResults[0].TaskExecutions.Single(t => t.Task == task).TaskResults[0];

    private static async Task<PipelineExecution> RunAsync(string runner, PipelineDefinition definition, JsonNode? input, string[]? command = null)
    {
        var settings = new List<KeyValuePair<string, string?>> { new("Pipelines:TaskProcess:Command", command?[0] ?? s_dp) };
        for (var i = 1; i < (command?.Length ?? 0); i++)
        {
            settings.Add(new($"Pipelines:TaskProcess:Arguments:{i - 1}", command![i]));
        }

        await using var services = LocalHostServices.Create(LocalHostConfiguration.Build(settings));
        var run = new RunPipelineInput { RunId = $"{definition.Name}-{Guid.NewGuid():N}", Definition = definition, Input = input, Runner = runner, CreatedAt = DateTime.UtcNow };
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        return await services.GetRequiredService<PipelineRunnerRegistry>().Get(runner).RunAsync(run, NullReporter.Instance, timeout.Token);
    }

    [GeneratedRegex(@"^timed out after 00:00:02 \(the task process \(pid (\d+)\) was killed\)$")]
    private static partial Regex KilledPid();
}
