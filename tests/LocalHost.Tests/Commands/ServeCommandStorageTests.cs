using System.Diagnostics;

namespace DurablePipelines.LocalHost.Tests.Commands;

/// <summary>
/// <c>dp serve</c> and <c>dp enqueue</c> against storage that refuses the clients' API version (an Azurite older
/// than the one package.json pins): one line with the cause and the fix, exit 2, no stack trace.
/// </summary>
public sealed class ServeCommandStorageTests
{
    [Fact]
    public async Task Serve_StorageRefusesApiVersion_OneLineCauseAndFixExit2()
    {
        await using var storage = await RefusingStorage.StartAsync();

        var (exit, output, error) = await RunServeAsync(storage.ConnectionString);

        Assert.True(exit == 2, $"exit {exit}\n{output}\n{error}");
        var line = Assert.Single(Lines(output + error));
        Assert.Equal(
            $"dp serve could not start: storage at {storage.Endpoint} does not accept API version 2026-06-06, the one this app sends " +
            "(400 InvalidHeaderValue: The API version 2026-06-06 is not supported by Azurite): " +
            "update Azurite to 3.37.0 or later, or start it with --skipApiVersionCheck",
            line);
    }

    [Fact]
    public async Task Enqueue_StorageRefusesApiVersion_OneLineCauseAndFixExit2()
    {
        await using var storage = await RefusingStorage.StartAsync();

        var result = await Cli.RunAsync("enqueue", "hello", "--storage", storage.ConnectionString);

        Assert.True(result.Exit == 2, result.ToString());
        Assert.Empty(result.Out);
        var line = Assert.Single(result.ErrorLines);
        Assert.StartsWith($"dp enqueue: storage at {storage.Endpoint} does not accept API version 2026-06-06", line, StringComparison.Ordinal);
        Assert.EndsWith("update Azurite to 3.37.0 or later, or start it with --skipApiVersionCheck", line, StringComparison.Ordinal);
    }

    private static string[] Lines(string text) => text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    /// <summary><c>dp serve</c> as a user starts it, run until it exits by itself (or killed after a minute).</summary>
    private static async Task<(int Exit, string Output, string Error)> RunServeAsync(string connectionString)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in new[] { ServeProcess.AppPath(), "serve", "--urls", "http://127.0.0.1:0", "--storage", connectionString, "--pipelines", Cli.Pipelines })
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(1));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"dp serve did not exit:\n{await output}\n{await error}");
        }

        return (process.ExitCode, await output, await error);
    }
}
