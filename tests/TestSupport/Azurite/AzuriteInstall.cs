using System.Diagnostics;

namespace DurablePipelines.TestSupport.Azurite;

/// <summary>Finds the repository's Azurite (the root package.json pins it) and installs it when missing.</summary>
internal static class AzuriteInstall
{
    private static readonly TimeSpan s_installTimeout = TimeSpan.FromMinutes(5);

    /// <summary>The folder holding the package.json that lists azurite, above <paramref name="start"/>.</summary>
    public static string FindRepositoryRoot(string start)
    {
        for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
        {
            var manifest = Path.Combine(dir.FullName, "package.json");
            if (File.Exists(manifest) && File.ReadAllText(manifest).Contains("\"azurite\"", StringComparison.Ordinal))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException($"no package.json listing azurite above {start}");
    }

    /// <summary>Azurite's entry script (the package's "azurite" bin), after <c>npm install</c> if needed.</summary>
    public static async Task<string> EnsureInstalledAsync(string root)
    {
        var script = EntryScript(root);
        if (File.Exists(script))
        {
            return script;
        }

        // Test projects may start at once: one installs, the others wait on the lock and then find it there.
        await using var gate = await AcquireLockAsync(Path.Combine(Path.GetTempPath(), "durable-pipelines-npm-install.lock"));
        if (!File.Exists(script))
        {
            await RunNpmInstallAsync(root);
        }

        return File.Exists(script) ? script : throw new InvalidOperationException($"npm install did not produce {script}");
    }

    private static string EntryScript(string root) => Path.Combine(root, "node_modules", "azurite", "dist", "src", "azurite.js");

    private static async Task RunNpmInstallAsync(string root)
    {
        var start = new ProcessStartInfo(OperatingSystem.IsWindows() ? "npm.cmd" : "npm")
        {
            WorkingDirectory = root,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in new[] { "install", "--no-audit", "--no-fund" })
        {
            start.ArgumentList.Add(argument);
        }

        using var npm = Process.Start(start) ?? throw new InvalidOperationException("could not start npm");
        var output = npm.StandardOutput.ReadToEndAsync();
        var error = npm.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(s_installTimeout);
        try
        {
            await npm.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            npm.Kill(entireProcessTree: true);
            throw new TimeoutException($"npm install in {root} took longer than {s_installTimeout}");
        }

        if (npm.ExitCode != 0)
        {
            throw new InvalidOperationException($"npm install in {root} failed ({npm.ExitCode}):\n{await output}\n{await error}");
        }
    }

    private static async Task<FileStream> AcquireLockAsync(string path)
    {
        var deadline = DateTime.UtcNow + s_installTimeout;
        while (true)
        {
            try
            {
                return new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
            }
            catch (IOException) when (DateTime.UtcNow < deadline)
            {
                await Task.Delay(250);
            }
        }
    }
}
