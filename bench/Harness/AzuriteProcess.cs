using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace DurablePipelines.Bench.Harness;

/// <summary>
/// A real Azurite from the repository's node_modules (<c>npm ci</c> at the root when missing), on free
/// loopback ports with its data in a fresh temp folder, as the test fixture starts it; killed on dispose.
/// </summary>
internal sealed class AzuriteProcess : IAsyncDisposable
{
    private const string AccountName = "devstoreaccount1";

    // Azurite's well-known (public) development account key.
    private const string AccountKey = "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";

    private readonly ConcurrentQueue<string> _output = new();
    private readonly Process _process;
    private readonly string _location;

    private AzuriteProcess(Process process, string location, string connectionString)
    {
        _process = process;
        _location = location;
        ConnectionString = connectionString;
    }

    public string ConnectionString { get; }

    public static async Task<AzuriteProcess> StartAsync()
    {
        var root = RepositoryRoot(AppContext.BaseDirectory);
        var script = Path.Combine(root, "node_modules", "azurite", "dist", "src", "azurite.js");
        if (!File.Exists(script))
        {
            await RunAsync("npm", root, "ci", "--no-audit", "--no-fund");
        }

        var (blob, queue, table) = (FreePort(), FreePort(), FreePort());
        var location = Directory.CreateTempSubdirectory("bench-azurite-").FullName;
        var start = new ProcessStartInfo("node") { WorkingDirectory = root, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in new[]
        {
            script, "--silent", "--disableTelemetry", "--skipApiVersionCheck", "--location", location,
            "--blobHost", "127.0.0.1", "--queueHost", "127.0.0.1", "--tableHost", "127.0.0.1",
            "--blobPort", Text(blob), "--queuePort", Text(queue), "--tablePort", Text(table),
        })
        {
            start.ArgumentList.Add(argument);
        }

        var process = Process.Start(start) ?? throw new InvalidOperationException("could not start node");
        var connection = $"DefaultEndpointsProtocol=http;AccountName={AccountName};AccountKey={AccountKey};" +
            $"BlobEndpoint=http://127.0.0.1:{Text(blob)}/{AccountName};QueueEndpoint=http://127.0.0.1:{Text(queue)}/{AccountName};" +
            $"TableEndpoint=http://127.0.0.1:{Text(table)}/{AccountName};";
        var azurite = new AzuriteProcess(process, location, connection);
        process.OutputDataReceived += (_, e) => azurite.Keep(e.Data);
        process.ErrorDataReceived += (_, e) => azurite.Keep(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        await azurite.WaitUntilReadyAsync([$"http://127.0.0.1:{Text(blob)}/{AccountName}?comp=list", $"http://127.0.0.1:{Text(queue)}/{AccountName}?comp=list"]);
        return azurite;
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
                await _process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(10));
            }
        }
        catch (InvalidOperationException)
        {
            // exited meanwhile
        }

        _process.Dispose();
        try
        {
            Directory.Delete(_location, recursive: true);
        }
        catch (IOException)
        {
            // best effort: a temp folder
        }
    }

    private async Task WaitUntilReadyAsync(IEnumerable<string> endpoints)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        var watch = Stopwatch.StartNew();
        foreach (var endpoint in endpoints)
        {
            while (true)
            {
                if (_process.HasExited || watch.Elapsed > TimeSpan.FromSeconds(60))
                {
                    throw new InvalidOperationException($"Azurite did not start:\n{string.Join('\n', _output)}");
                }

                try
                {
                    // Any answer (403 without a signature) means it listens.
                    using var response = await http.GetAsync(new Uri(endpoint));
                    break;
                }
                catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
                {
                    await Task.Delay(100);
                }
            }
        }
    }

    private void Keep(string? line)
    {
        if (line is not null)
        {
            _output.Enqueue(line);
            while (_output.Count > 100 && _output.TryDequeue(out _))
            {
            }
        }
    }

    private static string RepositoryRoot(string start)
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

    private static async Task RunAsync(string file, string directory, params string[] arguments)
    {
        var start = new ProcessStartInfo(file) { WorkingDirectory = directory };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException($"could not start {file}");
        await process.WaitForExitAsync();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{file} {string.Join(' ', arguments)} failed with exit code {process.ExitCode}");
        }
    }

    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static string Text(int port) => port.ToString(CultureInfo.InvariantCulture);
}
