using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace DurablePipelines.TestSupport.Azurite;

/// <summary>
/// A real Azurite for one test collection: the repository's pinned package (installed with npm when missing), as a
/// user starts it (no <c>--skipApiVersionCheck</c>: the app's clients must send a version it accepts), on free
/// loopback ports, with its data in a fresh temp folder; killed and cleaned up on dispose. A test can stop it and
/// start it again on the same ports and data (<see cref="StopAsync"/>, <see cref="RestartAsync"/>). Use it as a
/// collection fixture: xunit wants the collection definition in the test assembly itself, so each test project
/// declares <c>[CollectionDefinition(AzuriteFixture.Collection)] public sealed class AzuriteCollection :
/// ICollectionFixture&lt;AzuriteFixture&gt;;</c> and marks its classes <c>[Collection(AzuriteFixture.Collection)]</c>.
/// </summary>
public sealed class AzuriteFixture : IAsyncLifetime, IDisposable
{
    /// <summary>The collection name test projects declare.</summary>
    public const string Collection = "Azurite";

    /// <summary>Azurite's well-known development account.</summary>
    public const string AccountName = "devstoreaccount1";

    /// <summary>Azurite's well-known (public) development account key.</summary>
    public const string AccountKey = "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";

    private const int StartAttempts = 3;
    private static readonly TimeSpan s_readyTimeout = TimeSpan.FromSeconds(60);
    private static int s_names;

    private readonly ConcurrentQueue<string> _output = new();
    private Process? _process;
    private string? _location;
    private string? _root;
    private string? _script;
    private (int Blob, int Queue, int Table) _ports;

    /// <summary>An explicit connection string to this Azurite's blob and queue (and table) endpoints.</summary>
    public string ConnectionString { get; private set; } = string.Empty;

    /// <summary>The blob endpoint, <c>http://127.0.0.1:{port}/devstoreaccount1</c>.</summary>
    public Uri BlobEndpoint { get; private set; } = null!;

    /// <summary>The queue endpoint.</summary>
    public Uri QueueEndpoint { get; private set; } = null!;

    /// <summary>The table endpoint.</summary>
    public Uri TableEndpoint { get; private set; } = null!;

    /// <summary>
    /// A container or queue name no other test of this run uses: lowercase, starting with <paramref name="prefix"/>.
    /// </summary>
    public static string UniqueName(string prefix)
    {
        ArgumentException.ThrowIfNullOrEmpty(prefix);
        return $"{prefix}-{Interlocked.Increment(ref s_names)}-{Guid.NewGuid():N}"[..Math.Min(63, prefix.Length + 20)].TrimEnd('-').ToLowerInvariant();
    }

    /// <summary>
    /// A Durable Task hub name no other test of this run uses (letters and digits, starting with a letter, as
    /// DurableTask.AzureStorage requires; its queues, tables and lease container are named after it).
    /// </summary>
    public static string UniqueHubName() => $"hub{Interlocked.Increment(ref s_names)}x{Guid.NewGuid():N}"[..24];

    /// <inheritdoc />
    public async Task InitializeAsync()
    {
        _root = AzuriteInstall.FindRepositoryRoot(AppContext.BaseDirectory);
        _script = await AzuriteInstall.EnsureInstalledAsync(_root);
        for (var attempt = 1; ; attempt++)
        {
            // A free port can be taken between choosing it and Azurite binding it: try again with new ones.
            try
            {
                _ports = (FreePort(), FreePort(), FreePort());
                _location = Directory.CreateTempSubdirectory("azurite-").FullName;
                BlobEndpoint = new Uri($"http://127.0.0.1:{_ports.Blob}/{AccountName}");
                QueueEndpoint = new Uri($"http://127.0.0.1:{_ports.Queue}/{AccountName}");
                TableEndpoint = new Uri($"http://127.0.0.1:{_ports.Table}/{AccountName}");
                ConnectionString = $"DefaultEndpointsProtocol=http;AccountName={AccountName};AccountKey={AccountKey};" +
                    $"BlobEndpoint={BlobEndpoint};QueueEndpoint={QueueEndpoint};TableEndpoint={TableEndpoint};";
                await StartProcessAsync();
                return;
            }
            catch (InvalidOperationException) when (attempt < StartAttempts)
            {
                await ShutDownAsync();
            }
        }
    }

    /// <summary>
    /// Stops Azurite as Ctrl-C does (it saves its data first), keeping its ports and data folder for
    /// <see cref="RestartAsync"/>: until then every storage call is refused, as when a user's Azurite goes away.
    /// </summary>
    public async Task StopAsync()
    {
        if (_process is not { } process)
        {
            return;
        }

        _process = null;
        try
        {
            await StopGracefullyAsync(process);
        }
        finally
        {
            process.Dispose();
        }
    }

    /// <summary>Starts Azurite again after <see cref="StopAsync"/>, on the same ports and data; returns once it answers.</summary>
    public Task RestartAsync()
    {
        if (_process is not null || _location is null)
        {
            throw new InvalidOperationException("Azurite is running, or was never started");
        }

        return StartProcessAsync();
    }

    /// <inheritdoc />
    public Task DisposeAsync() => ShutDownAsync();

    /// <summary>Stops Azurite if <see cref="DisposeAsync"/> did not (xunit calls both; the second does nothing).</summary>
    public void Dispose() => ShutDownAsync().GetAwaiter().GetResult();

    private async Task StartProcessAsync()
    {
        var start = new ProcessStartInfo("node")
        {
            WorkingDirectory = _root,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in new[]
        {
            _script!, "--silent", "--disableTelemetry", "--location", _location!,
            "--blobHost", "127.0.0.1", "--queueHost", "127.0.0.1", "--tableHost", "127.0.0.1",
            "--blobPort", Port(_ports.Blob), "--queuePort", Port(_ports.Queue), "--tablePort", Port(_ports.Table),
        })
        {
            start.ArgumentList.Add(argument);
        }

        _output.Clear();
        _process = new Process { StartInfo = start };
        _process.OutputDataReceived += (_, e) => Keep(e.Data);
        _process.ErrorDataReceived += (_, e) => Keep(e.Data);
        _process.Start();
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
        await WaitUntilReadyAsync(_process);
    }

    private async Task WaitUntilReadyAsync(Process process)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        var deadline = Stopwatch.StartNew();
        var pending = new List<Uri> { new($"{BlobEndpoint}?comp=list"), new($"{QueueEndpoint}?comp=list") };
        while (pending.Count > 0)
        {
            if (process.HasExited)
            {
                throw new InvalidOperationException($"Azurite exited with code {process.ExitCode}:\n{string.Join('\n', _output)}");
            }

            if (deadline.Elapsed > s_readyTimeout)
            {
                throw new TimeoutException($"Azurite did not answer within {s_readyTimeout}:\n{string.Join('\n', _output)}");
            }

            try
            {
                // Any HTTP answer (403 without a signature) means the endpoint listens.
                using var response = await http.GetAsync(pending[0]);
                pending.RemoveAt(0);
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
            {
                await Task.Delay(100);
            }
        }
    }

    private static async Task StopGracefullyAsync(Process process)
    {
        if (!OperatingSystem.IsWindows() && !process.HasExited)
        {
            // SIGTERM: Azurite closes its servers and saves its databases, which a kill would lose (it saves
            // them every 5 s otherwise).
            using var kill = Process.Start("kill", ["-TERM", process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]) ?? throw new InvalidOperationException("could not run kill");
            await kill.WaitForExitAsync();
            try
            {
                await process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(10));
                return;
            }
            catch (TimeoutException)
            {
                // Still serving open connections: kill it below.
            }
        }

        await KillAsync(process);
    }

    private static async Task KillAsync(Process process)
    {
        try
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
                await process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(10));
            }
        }
        catch (InvalidOperationException)
        {
            // Exited between the check and the kill.
        }
    }

    private async Task ShutDownAsync()
    {
        if (_process is { } process)
        {
            _process = null;
            try
            {
                await KillAsync(process);
            }
            finally
            {
                process.Dispose();
            }
        }

        if (_location is { } location)
        {
            _location = null;
            for (var attempt = 0; attempt < 5 && Directory.Exists(location); attempt++)
            {
                try
                {
                    Directory.Delete(location, recursive: true);
                }
                catch (IOException)
                {
                    await Task.Delay(200);
                }
            }
        }
    }

    private void Keep(string? line)
    {
        if (line is null)
        {
            return;
        }

        _output.Enqueue(line);
        while (_output.Count > 200 && _output.TryDequeue(out _))
        {
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static string Port(int port) => port.ToString(System.Globalization.CultureInfo.InvariantCulture);
}
