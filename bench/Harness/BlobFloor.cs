using System.Diagnostics;
using Azure.Storage.Blobs;

namespace DurablePipelines.Bench.Harness;

/// <summary>
/// Small blob uploads to the same Azurite, measured in the same run: what a start's claim writes (scenario 6's
/// note gives their rate beside the starts').
/// </summary>
internal static class BlobFloor
{
    // A small JSON document, about the size of a claim.
    private static readonly BinaryData s_checkpoint = BinaryData.FromString(
        """{"succeeded":true,"output":null,"error":null,"timedOut":false,"startedAt":"2025-01-01T00:00:00.0000000Z","finishedAt":"2025-01-01T00:00:00.0000000Z"}""");

    private static int s_containers;

    /// <summary>Seconds to upload <paramref name="count"/> small blobs, <paramref name="concurrency"/> at a time.</summary>
    public static async Task<double> ConcurrentUploadsAsync(BlobServiceClient storage, int count, int concurrency)
    {
        var container = await NewContainerAsync(storage);
        var watch = Stopwatch.StartNew();
        await Parallel.ForEachAsync(Enumerable.Range(0, count), new ParallelOptions { MaxDegreeOfParallelism = concurrency }, async (i, ct) =>
            await container.GetBlobClient($"run/{i}.json").UploadAsync(s_checkpoint, overwrite: true, ct));
        return watch.Elapsed.TotalSeconds;
    }

    /// <summary>Latency in microseconds of each of <paramref name="count"/> uploads made one after another.</summary>
    public static async Task<List<double>> SequentialUploadsAsync(BlobServiceClient storage, int count)
    {
        var container = await NewContainerAsync(storage);
        var latencies = new List<double>(count);
        for (var i = 0; i < count; i++)
        {
            var start = Stopwatch.GetTimestamp();
            await container.GetBlobClient($"run/{i}.json").UploadAsync(s_checkpoint, overwrite: true);
            latencies.Add(Stopwatch.GetElapsedTime(start).TotalMicroseconds);
        }

        return latencies;
    }

    private static async Task<BlobContainerClient> NewContainerAsync(BlobServiceClient storage)
    {
        var container = storage.GetBlobContainerClient($"bench-floor-{Interlocked.Increment(ref s_containers)}");
        await container.CreateIfNotExistsAsync();
        return container;
    }
}
