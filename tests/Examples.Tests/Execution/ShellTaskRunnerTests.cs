using System.Diagnostics;
using System.Globalization;
using System.Text.Json.Nodes;
using DurablePipelines.Examples.Execution;
using DurablePipelines.Examples.Tests.Handlers;
using DurablePipelines.Handlers;

namespace DurablePipelines.Examples.Tests.Execution;

/// <summary>The example <c>shell</c> task runner with real <c>/bin/sh</c> commands.</summary>
public sealed class ShellTaskRunnerTests
{
    private readonly ShellTaskRunner _runner = new();

    [Fact]
    public async Task RunAsync_TheTaskInputOnStdin_JsonOutputParsed()
    {
        var output = await RunAsync("cat", input: new JsonObject { ["n"] = 7 });

        Assert.Equal(7, output!["input"]!["n"]!.GetValue<int>());
        Assert.Equal("cat", output["config"]!["command"]!.GetValue<string>());
    }

    [Theory]
    [InlineData("echo hello", "hello")]
    [InlineData("true", null)]
    public async Task RunAsync_TextOrNothing_AStringOrNull(string command, string? expected)
    {
        var output = await RunAsync(command);

        Assert.Equal(expected, output?.GetValue<string>());
    }

    [Fact]
    public async Task RunAsync_NonZeroExit_FailsWithTheCodeAndStandardError()
    {
        var thrown = await Assert.ThrowsAsync<InvalidOperationException>(() => RunAsync("echo 'disk full' >&2; exit 4"));

        Assert.Equal("'echo 'disk full' >&2; exit 4' exited with code 4: disk full", thrown.Message);
    }

    [Fact]
    public async Task RunAsync_TokenFires_TheCommandAndItsChildrenAreKilledBeforeItEnds()
    {
        var pidFile = Path.GetTempFileName();
        using var cancel = new CancellationTokenSource(TimeSpan.FromMilliseconds(500));
        var clock = Stopwatch.StartNew();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => RunAsync($"sleep 30 & echo $! > {pidFile}; wait", cancellationToken: cancel.Token));

        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(10), $"took {clock.Elapsed}");
        var child = int.Parse((await File.ReadAllTextAsync(pidFile)).Trim(), CultureInfo.InvariantCulture);
        Assert.True(IsGone(child), $"the command's child {child} still runs");
        File.Delete(pidFile);
    }

    [Fact]
    public void ValidateConfig_CommandRequired()
    {
        Assert.Equal(".command", Assert.Single(((IPipelineTask)_runner).ValidateConfig([])).Path);
    }

    /// <summary>
    /// True when <paramref name="pid"/> no longer runs: no such process, or a zombie (killed, but with its parent gone
    /// it waits for an init process to reap it, which a container may not have).
    /// </summary>
    private static bool IsGone(int pid)
    {
        var stat = $"/proc/{pid}/stat";
        if (!File.Exists(stat))
        {
            return true;
        }

        var text = File.ReadAllText(stat);
        var state = text[(text.LastIndexOf(')') + 2)..][0];
        return state is 'Z' or 'X';
    }

    private Task<JsonNode?> RunAsync(string command, JsonNode? input = null, CancellationToken cancellationToken = default)
    {
        var context = HandlerContext.Create(new JsonObject { ["command"] = command }, input);
        return _runner.RunAsync(new TaskRun("shell", _runner, context), cancellationToken);
    }
}
