using System.Diagnostics;
using System.Text.Json;
using DurablePipelines.Records;
using DurablePipelines.TestSupport;

namespace DurablePipelines.LocalHost.Tests.Commands;

/// <summary>
/// The built app as a user starts it: a child process in the repository root, where <c>pipelines</c> is the
/// default folder, with its configuration from the environment.
/// </summary>
public class ProcessTests
{
    private static readonly string s_repoRoot = RepositoryFolder.Path;

    [Fact]
    public async Task Process_RunByNameFromRepoRoot_PrintsRecordExit0()
    {
        var (exit, output, error) = await RunDpAsync([], "run", "file-checksums", "--input", "@pipelines/inputs/file-checksums.json", "-o", "json");

        Assert.True(exit == 0, error);
        var execution = JsonSerializer.Deserialize<PipelineExecution>(output, PipelineJson.Options)!;
        Assert.Equal(RunStatus.Succeeded, execution.Status);
    }

    [Fact]
    public async Task Process_PipelinesPathFromEnvironment_IsUsed()
    {
        var (exit, output, error) = await RunDpAsync(new() { ["Pipelines__Path"] = "nowhere" }, "graph", "hello");

        Assert.Equal(2, exit);
        Assert.Empty(output);
        Assert.Contains("the pipeline folder 'nowhere' does not exist", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Process_RunnerFromEnvironment_IsUsed()
    {
        var (exit, output, error) = await RunDpAsync(new() { ["Pipelines__Runner"] = "parallel" }, "run", "hello", "-o", "json");

        Assert.True(exit == 0, error);
        Assert.Equal("parallel", JsonSerializer.Deserialize<PipelineExecution>(output, PipelineJson.Options)!.Runner);
    }

    [Fact]
    public async Task Process_InvalidOptions_ListedExit2()
    {
        var (exit, _, error) = await RunDpAsync(new() { ["Pipelines__MaxParallelism"] = "0", ["Pipelines__ChunkSize"] = "0" }, "validate", "pipelines");

        Assert.Equal(2, exit);
        Assert.Contains("configuration: Pipelines:MaxParallelism must be at least 1", error, StringComparison.Ordinal);
        Assert.Contains("configuration: Pipelines:ChunkSize must be at least 1", error, StringComparison.Ordinal);
    }

    private static async Task<(int Exit, string Output, string Error)> RunDpAsync(Dictionary<string, string> environment, params string[] args)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = s_repoRoot,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "DurablePipelines.LocalHost.dll"));
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        foreach (var (key, value) in environment)
        {
            start.Environment[key] = value;
        }

        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        await process.WaitForExitAsync(timeout.Token);
        return (process.ExitCode, await output, await error);
    }
}
