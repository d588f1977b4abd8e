using System.Diagnostics;
using Azure.Storage.Queues;
using DurablePipelines.Storage.Blobs;

namespace DurablePipelines.Bench.Harness.Engine;

/// <summary>
/// Asks Azurite for something trivial (the queue service's properties) every 200 ms while a scenario runs, and keeps
/// the slowest answer: Azurite serves every request on one Node.js event loop, so a slow trivial answer means the
/// loop was busy elsewhere (its 5-second saves of the whole database grow with the history it holds).
/// </summary>
internal sealed class AzuriteProbe : IAsyncDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;
    private TimeSpan _slowest;
    private DateTime _slowestAt;
    private int _probes;

    public AzuriteProbe(string connectionString)
    {
        var client = new QueueServiceClient(connectionString, new QueueClientOptions(StorageClients.QueueServiceVersion));
        _loop = Task.Run(() => LoopAsync(client));
    }

    public (TimeSpan Slowest, DateTime At, int Probes) Result => (_slowest, _slowestAt, _probes);

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        try
        {
            await _loop;
        }
        catch (OperationCanceledException)
        {
            // stopped
        }

        _stop.Dispose();
    }

    private async Task LoopAsync(QueueServiceClient client)
    {
        while (!_stop.IsCancellationRequested)
        {
            var start = Stopwatch.GetTimestamp();
            await client.GetPropertiesAsync(_stop.Token);
            var elapsed = Stopwatch.GetElapsedTime(start);
            _probes++;
            if (elapsed > _slowest)
            {
                (_slowest, _slowestAt) = (elapsed, DateTime.UtcNow);
            }

            await Task.Delay(200, _stop.Token);
        }
    }
}
