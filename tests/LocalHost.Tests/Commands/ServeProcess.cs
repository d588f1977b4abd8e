using System.Collections.Concurrent;
using System.Diagnostics;
using System.Reflection;
using System.Text.RegularExpressions;
using DurablePipelines.TestSupport;

namespace DurablePipelines.LocalHost.Tests.Commands;

/// <summary>
/// <c>dp serve</c> as a separate process, as a user starts it: the built app (same configuration as this test
/// assembly) on a free loopback port chosen by Kestrel, read back from its "listening on" line.
/// </summary>
internal sealed partial class ServeProcess : IAsyncDisposable
{
    private static readonly TimeSpan s_startTimeout = TimeSpan.FromSeconds(60);

    private readonly Process _process;
    private readonly ConcurrentQueue<string> _output;

    private ServeProcess(Process process, ConcurrentQueue<string> output, Uri baseAddress)
    {
        _process = process;
        _output = output;
        BaseAddress = baseAddress;
        Http = new HttpClient { BaseAddress = baseAddress, Timeout = TimeSpan.FromSeconds(30) };
    }

    public Uri BaseAddress { get; }

    public HttpClient Http { get; }

    /// <summary>What the process wrote so far, for failure messages.</summary>
    public string Output => string.Join('\n', _output);

    /// <summary>The built <c>DurablePipelines.LocalHost.dll</c> under <c>src/LocalHost/bin/{Configuration}/{tfm}</c>.</summary>
    public static string AppPath()
    {
        var configuration = typeof(ServeProcess).Assembly.GetCustomAttribute<AssemblyConfigurationAttribute>()?.Configuration ?? "Debug";
        var framework = new DirectoryInfo(AppContext.BaseDirectory).Name;
        var app = Path.Combine(RepositoryFolder.Path, "src", "LocalHost", "bin", configuration, framework, "DurablePipelines.LocalHost.dll");
        return File.Exists(app) ? app : throw new FileNotFoundException($"dp is not built at {app}");
    }

    /// <summary>Starts <c>dp serve</c> and waits until it listens.</summary>
    public static async Task<ServeProcess> StartAsync(string connectionString, string pipelines, IReadOnlyDictionary<string, string> environment)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in new[] { AppPath(), "serve", "--urls", "http://127.0.0.1:0", "--storage", connectionString, "--pipelines", pipelines })
        {
            start.ArgumentList.Add(argument);
        }

        foreach (var (key, value) in environment)
        {
            start.Environment[key] = value;
        }

        var output = new ConcurrentQueue<string>();
        var listening = new TaskCompletionSource<Uri>(TaskCreationOptions.RunContinuationsAsynchronously);
        var process = new Process { StartInfo = start, EnableRaisingEvents = true };
        process.OutputDataReceived += (_, e) => Keep(e.Data);
        process.ErrorDataReceived += (_, e) => Keep(e.Data);
        process.Exited += (_, _) => listening.TrySetException(new InvalidOperationException($"dp serve exited:\n{string.Join('\n', output)}"));
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            var address = await listening.Task.WaitAsync(s_startTimeout);
            return new ServeProcess(process, output, new Uri(address, "/"));
        }
        catch
        {
            process.Kill(entireProcessTree: true);
            process.Dispose();
            throw;
        }

        void Keep(string? line)
        {
            if (line is null)
            {
                return;
            }

            output.Enqueue(line);
            if (Listening().Match(line) is { Success: true } match)
            {
                listening.TrySetResult(new Uri(match.Groups[1].Value));
            }
        }
    }

    /// <summary>SIGKILL: no shutdown code runs, as when the machine dies.</summary>
    public async Task KillAsync()
    {
        _process.Kill(entireProcessTree: true);
        await _process.WaitForExitAsync();
    }

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        if (!_process.HasExited)
        {
            await KillAsync();
        }

        _process.Dispose();
    }

    [GeneratedRegex(@"^dp serve: listening on (http://\S+);")]
    private static partial Regex Listening();
}
