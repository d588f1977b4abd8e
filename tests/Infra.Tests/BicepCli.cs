using System.Diagnostics;
using System.Reflection;

namespace DurablePipelines.Infra.Tests;

/// <summary>
/// Runs the Bicep CLI that the <c>Azure.Bicep.CommandLine.linux-x64</c> package restored: its path comes from the
/// <c>BicepCliPath</c> assembly metadata that Infra.Tests.csproj writes at build time.
/// </summary>
internal static class BicepCli
{
    private static readonly TimeSpan s_runTimeout = TimeSpan.FromMinutes(2);

    /// <summary>
    /// Runs <c>bicep</c> with <paramref name="arguments"/> in <paramref name="workingDirectory"/> and returns what it
    /// did; a run that takes longer than two minutes is killed and fails the test.
    /// </summary>
    public static async Task<BicepResult> RunAsync(string workingDirectory, params string[] arguments)
    {
        var start = new ProcessStartInfo(ExecutablePath())
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        var command = "bicep " + string.Join(' ', arguments);
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"{command} did not start");
        var standardOutput = process.StandardOutput.ReadToEndAsync();
        var standardError = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(s_runTimeout);
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
            throw new TimeoutException(
                $"{command} did not finish in {s_runTimeout}:\nstderr:\n{await standardError}\nstdout:\n{await standardOutput}");
        }

        return new BicepResult(command, process.ExitCode, await standardOutput, await standardError);
    }

    /// <summary>The restored <c>bicep</c> executable, made executable if the package folder lost the bit.</summary>
    private static string ExecutablePath()
    {
        var path = typeof(BicepCli).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
            .SingleOrDefault(attribute => attribute.Key == "BicepCliPath")?.Value;
        if (string.IsNullOrEmpty(path) || !File.Exists(path))
        {
            throw new FileNotFoundException(
                $"The Bicep CLI from Azure.Bicep.CommandLine.linux-x64 is not at '{path}': restore and build tests/Infra.Tests.");
        }

        if (!OperatingSystem.IsWindows())
        {
            var mode = File.GetUnixFileMode(path);
            if (!mode.HasFlag(UnixFileMode.UserExecute))
            {
                File.SetUnixFileMode(path, mode | UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute);
            }
        }

        return path;
    }
}
