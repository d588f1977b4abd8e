using System.Diagnostics;

namespace DurablePipelines.Tests.Architecture;

/// <summary>
/// Runs <c>dotnet</c> on a scratch project in a temporary folder (deleted afterwards), for tests that show a rule of
/// the build fails a build.
/// </summary>
internal static class ScratchBuild
{
    /// <summary>Writes <paramref name="files"/> (name to text) to a new folder and runs <c>dotnet</c> there with <paramref name="arguments"/>.</summary>
    public static async Task<(int ExitCode, string Output)> RunAsync(IReadOnlyDictionary<string, string> files, params string[] arguments)
    {
        var dir = Directory.CreateTempSubdirectory("dp-scratch-");
        try
        {
            foreach (var (name, text) in files)
            {
                await File.WriteAllTextAsync(Path.Combine(dir.FullName, name), text);
            }

            var start = new ProcessStartInfo("dotnet", arguments)
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                WorkingDirectory = dir.FullName,
            };
            using var process = Process.Start(start)!;
            var stdout = process.StandardOutput.ReadToEndAsync();
            var stderr = process.StandardError.ReadToEndAsync();
            await process.WaitForExitAsync();
            return (process.ExitCode, await stdout + await stderr);
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }
}
