using System.Text.Json.Nodes;
using DurablePipelines.Examples.Handlers;
using DurablePipelines.TestSupport;
using DurablePipelines.TestSupport.Time;

namespace DurablePipelines.Examples.Tests.Handlers;

public class FilesAppendLineTaskTests
{
    [Fact]
    public async Task ExecuteAsync_TwoResults_AppendsOneLinePerResultWithItsIdempotencyKey()
    {
        using var temp = new TempFolder();
        var file = Path.Combine(temp.Path, "lines.txt");
        var task = new FilesAppendLineTask(ExampleOptions.At(), TimeProvider.System);
        var config = new JsonObject { ["path"] = "{input.file}", ["text"] = "item {taskItem}" };

        var first = await task.ExecuteAsync(HandlerContext.Create(config, input: new JsonObject { ["file"] = file }, taskItem: "a") with { TaskResult = 0 }, CancellationToken.None);
        await task.ExecuteAsync(HandlerContext.Create(config, input: new JsonObject { ["file"] = file }, taskItem: "b") with { TaskResult = 1 }, CancellationToken.None);

        Assert.Equal(["r1/0/t/0\titem a", "r1/0/t/1\titem b"], await File.ReadAllLinesAsync(file));
        Assert.Equal(file, first!["path"]!.GetValue<string>());
        Assert.Equal("r1/0/t/0", first["key"]!.GetValue<string>());
    }

    [Fact]
    public async Task ExecuteAsync_ManyAtOnce_EveryLineWhole()
    {
        using var temp = new TempFolder();
        var file = Path.Combine(temp.Path, "lines.txt");
        var task = new FilesAppendLineTask(ExampleOptions.At(), TimeProvider.System);
        var config = new JsonObject { ["path"] = file };

        await Task.WhenAll(Enumerable.Range(0, 50).Select(i => task.ExecuteAsync(HandlerContext.Create(config) with { TaskResult = i }, CancellationToken.None)));

        var lines = await File.ReadAllLinesAsync(file);
        Assert.Equal(Enumerable.Range(0, 50).Select(i => $"r1/0/t/{i}").Order(StringComparer.Ordinal), lines.Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task ExecuteAsync_RelativePath_WritesUnderBaseFolder()
    {
        using var temp = new TempFolder();
        var file = Path.Combine(temp.Path, "lines.txt");

        var output = await new FilesAppendLineTask(ExampleOptions.At(temp.Path), TimeProvider.System).ExecuteAsync(HandlerContext.Create(new JsonObject { ["path"] = "lines.txt" }), CancellationToken.None);

        Assert.Equal(file, output!["path"]!.GetValue<string>());
        Assert.Equal(["r1/0/t/0"], await File.ReadAllLinesAsync(file));
    }

    [Fact]
    public async Task ExecuteAsync_Delay_EndsExactlyWhenItHasPassedOnTheClock()
    {
        using var temp = new TempFolder();
        var clock = new TestClock();

        var running = new FilesAppendLineTask(ExampleOptions.At(temp.Path), clock).ExecuteAsync(HandlerContext.Create(new JsonObject { ["path"] = "lines.txt", ["delayMs"] = 10_000 }), CancellationToken.None);
        await clock.WaitForTimersAsync(1);
        clock.Advance(TimeSpan.FromSeconds(10) - TimeSpan.FromTicks(1));
        Assert.Equal(1, clock.WaitingTimers);
        clock.Advance(TimeSpan.FromTicks(1));

        Assert.Equal("r1/0/t/0", (await running.WaitAsync(TestClock.WaitLimit))!["key"]!.GetValue<string>());
    }

    [Fact]
    public async Task ExecuteAsync_CancelledDuringTheDelay_LineAlreadyWrittenAndThrows()
    {
        using var temp = new TempFolder();
        var file = Path.Combine(temp.Path, "lines.txt");
        var clock = new TestClock();
        using var cancel = new CancellationTokenSource();

        var running = new FilesAppendLineTask(ExampleOptions.At(), clock).ExecuteAsync(HandlerContext.Create(new JsonObject { ["path"] = file, ["delayMs"] = 10_000 }), cancel.Token);
        await clock.WaitForTimersAsync(1);
        await cancel.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => running.WaitAsync(TestClock.WaitLimit));
        Assert.Equal(["r1/0/t/0"], await File.ReadAllLinesAsync(file));
    }

    [Fact]
    public void ValidateConfig_MissingPathNegativeDelayBadTemplate_EveryProblem()
    {
        var errors = new FilesAppendLineTask(ExampleOptions.At(), TimeProvider.System).ValidateConfig(new JsonObject { ["delayMs"] = -1, ["text"] = "{nowhere}" }).ToList();

        Assert.Equal(
            [
                ".path: 'path' is required (a file path, absolute or relative to the host's base folder: the current directory for dp, the app folder for the Function App)",
                ".delayMs: 'delayMs' must be a whole number of at least 0",
                ".text: 'text': placeholder {nowhere} must start with one of input, item, taskItem, parents",
            ],
            errors.Select(e => $"{e.Path}: {e.Message}"));
    }
}
