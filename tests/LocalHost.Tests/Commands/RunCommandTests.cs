using System.Text.Json;
using System.Text.Json.Nodes;
using DurablePipelines.Records;
using DurablePipelines.TestSupport;

namespace DurablePipelines.LocalHost.Tests.Commands;

public class RunCommandTests
{
    private const string Failing = """
        {
          "name": "failing",
          "tasks": [
            { "name": "first", "handler": "echo" },
            { "name": "boom", "handler": "fail", "parents": ["first"], "config": { "message": "disk on fire" } },
            { "name": "after", "handler": "echo", "parents": ["boom"] },
            { "name": "aside", "handler": "echo", "parents": ["first"] }
          ]
        }
        """;

    private static string Hello => Path.Combine(Cli.Pipelines, "hello.json");

    [Fact]
    public async Task Run_JsonOutput_StdoutIsExactlyTheRecord()
    {
        var result = await Cli.RunAsync("run", Hello, "--output", "json", "--input", """{ "who": "world" }""", "--run-id", "hello-1");

        Assert.True(result.Exit == 0, result.ToString());
        var execution = JsonSerializer.Deserialize<PipelineExecution>(result.Out, PipelineJson.Options)!;
        Assert.Equal("hello-1", execution.RunId);
        Assert.Equal("hello", execution.Pipeline);
        Assert.Equal("eager", execution.Runner);
        Assert.Equal(RunStatus.Succeeded, execution.Status);
        Assert.Equal("world", execution.Input!["who"]!.GetValue<string>());
        var say = Assert.Single(Assert.Single(execution.PipelineResults).TaskExecutions);
        Assert.Equal(RunStatus.Succeeded, say.Status);
        Assert.Equal("hello, pipelines", say.TaskResults[0].Output!["config"]!["message"]!.GetValue<string>());

        // Nothing but the record: it round-trips to the same JSON.
        Assert.Equal(result.Out.Trim(), JsonSerializer.Serialize(execution, PipelineJson.Indented));
    }

    [Fact]
    public async Task Run_FailingTask_RecordFailedDescendantCancelledExit1()
    {
        using var temp = new TempFolder();
        var file = temp.Write("failing.json", Failing);

        var result = await Cli.RunAsync("run", file, "-o", "json", "--runner", "parallel");

        Assert.Equal(1, result.Exit);
        var execution = JsonSerializer.Deserialize<PipelineExecution>(result.Out, PipelineJson.Options)!;
        Assert.Equal(RunStatus.Failed, execution.Status);
        Assert.Equal("parallel", execution.Runner);
        var tasks = execution.PipelineResults[0].TaskExecutions.ToDictionary(t => t.Task, t => t.Status);
        Assert.Equal(RunStatus.Succeeded, tasks["first"]);
        Assert.Equal(RunStatus.Failed, tasks["boom"]);
        Assert.Equal(RunStatus.Cancelled, tasks["after"]);
        Assert.Equal(RunStatus.Succeeded, tasks["aside"]);
        Assert.Equal("disk on fire", execution.PipelineResults[0].TaskExecutions[1].TaskResults[0].Error!.Message);
    }

    [Fact]
    public async Task Run_FailingTaskAsTable_SummaryShowsStatusesAndFirstErrorExit1()
    {
        using var temp = new TempFolder();
        var file = temp.Write("failing.json", Failing);

        var result = await Cli.RunAsync("run", file, "--run-id", "f1");

        Assert.Equal(1, result.Exit);
        Assert.Contains(result.OutLines, l => l.StartsWith("run f1: Failed in ", StringComparison.Ordinal) && l.EndsWith("(pipeline failing v1, runner eager)", StringComparison.Ordinal));
        Assert.Contains(result.OutLines, l => l.StartsWith("boom   Failed     0 succeeded, 1 failed, 0 cancelled", StringComparison.Ordinal) && l.EndsWith("disk on fire", StringComparison.Ordinal));
        Assert.Contains(result.OutLines, l => l.StartsWith("after  Cancelled  0 succeeded, 0 failed, 0 cancelled  -  not started: parent 'boom' failed", StringComparison.Ordinal));
        Assert.Contains(result.OutLines, l => l.EndsWith("[0] boom[0] Failed (attempt 1): disk on fire", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Run_TableOutputNotATerminal_PlainProgressLinesThenSummary()
    {
        var result = await Cli.RunAsync("run", Hello, "--run-id", "h1");

        Assert.True(result.Exit == 0, result.ToString());
        var lines = result.OutLines;
        Assert.EndsWith("run h1 Started", lines[0], StringComparison.Ordinal);
        Assert.Contains(lines, l => l.EndsWith("[0] say Succeeded", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.EndsWith("run h1 Succeeded", StringComparison.Ordinal));
        Assert.StartsWith("say  Succeeded  1 succeeded, 0 failed, 0 cancelled", lines[^1], StringComparison.Ordinal);
        Assert.DoesNotContain('\u001b', result.Out);
    }

    [Fact]
    public async Task Run_ByNameWithInputFile_UsesCatalogAndRunIdFrom()
    {
        var input = Path.Combine(Cli.Pipelines, "inputs", "regions-nightly.json");

        var result = await Cli.RunAsync("run", "regions-nightly", "--pipelines", Cli.Pipelines, "--input", "@" + input, "--output", "json");

        Assert.True(result.Exit == 0, result.ToString());
        var execution = JsonSerializer.Deserialize<PipelineExecution>(result.Out, PipelineJson.Options)!;
        Assert.Equal("nightly-2025-01-31", execution.RunId);
        Assert.Equal("billing", execution.Metadata!["owner"]!.GetValue<string>());
    }

    [Fact]
    public async Task Run_BadInputJson_ClearMessageExit2()
    {
        var result = await Cli.RunAsync("run", Hello, "--input", "{ not json");

        Assert.Equal(2, result.Exit);
        Assert.Empty(result.Out);
        Assert.StartsWith("--input is not valid JSON: ", result.ErrorLines[0], StringComparison.Ordinal);
    }

    [Fact]
    public async Task Run_MissingInputFile_Exit2()
    {
        var result = await Cli.RunAsync("run", Hello, "--input", "@no-such-input.json");

        Assert.Equal(2, result.Exit);
        Assert.Equal("--input: no such file 'no-such-input.json'", result.ErrorLines[0]);
    }

    [Fact]
    public async Task Run_InputWithoutIteratorArray_RefusedBeforeRunningExit2()
    {
        var result = await Cli.RunAsync("run", "regions-nightly", "--pipelines", Cli.Pipelines, "--input", """{ "date": "2025-01-31" }""", "-o", "json");

        Assert.Equal(2, result.Exit);
        Assert.Empty(result.Out);
        Assert.All(result.ErrorLines, l => Assert.StartsWith("regions-nightly: $.input: ", l, StringComparison.Ordinal));
        Assert.Contains(result.ErrorLines, l => l.Contains("pipeline iterator", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Run_InvalidRunId_Exit2()
    {
        var result = await Cli.RunAsync("run", Hello, "--run-id", "no spaces please");

        Assert.Equal(2, result.Exit);
        Assert.StartsWith($"{Hello}: $.runId: 'no spaces please' is not a valid run id", result.ErrorLines[0], StringComparison.Ordinal);
    }

    [Fact]
    public async Task Run_UnknownRunner_ListsKnownExit2()
    {
        var result = await Cli.RunAsync("run", Hello, "--runner", "turbo");

        Assert.Equal(2, result.Exit);
        Assert.Equal("unknown runner 'turbo' (known: durable, eager, parallel)", result.ErrorLines[0]);
    }

    [Fact]
    public async Task Run_InvalidDefinition_ListsErrorsExit2()
    {
        using var temp = new TempFolder();
        var file = temp.Write("bad.json", """{ "name": "bad", "tasks": [ { "name": "a", "handler": "sleep", "config": { "ms": -1 } } ] }""");

        var result = await Cli.RunAsync("run", file);

        Assert.Equal(2, result.Exit);
        Assert.Equal($"{file}: $.tasks[0].config.ms: 'ms' must be a whole number of at least 0", result.ErrorLines[0]);
    }

    [Fact]
    public async Task Run_UnknownOutput_UsageErrorExit2()
    {
        var result = await Cli.RunAsync("run", Hello, "--output", "yaml");

        Assert.Equal(2, result.Exit);
    }

    [Fact]
    public async Task Run_CancelledWhileRunning_EndsTerminatedExit1()
    {
        using var temp = new TempFolder();
        var file = temp.Write("slow.json", """
            { "name": "slow", "tasks": [
              { "name": "wait", "handler": "sleep", "config": { "ms": 30000 } },
              { "name": "next", "handler": "echo" } ] }
            """);
        using var cancel = new CancellationTokenSource(TimeSpan.FromMilliseconds(500));

        var result = await Cli.RunAsync(cancel.Token, "run", file, "-o", "json");

        Assert.Equal(1, result.Exit);
        var execution = JsonSerializer.Deserialize<PipelineExecution>(result.Out, PipelineJson.Options)!;
        Assert.Equal(RunStatus.Terminated, execution.Status);
        Assert.Equal(RunStatus.Cancelled, execution.PipelineResults[0].TaskExecutions[1].Status);
        Assert.Contains("cancelling", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Run_InputNull_RunsWithoutInput()
    {
        var result = await Cli.RunAsync("run", Hello, "-o", "json");

        Assert.Equal(0, result.Exit);
        Assert.Null(JsonNode.Parse(result.Out)!["input"]);
    }
}
