using System.Diagnostics;
using DurablePipelines.Durable.Hosting;
using DurablePipelines.Orchestration;
using DurablePipelines.Storage.Durable;
using DurablePipelines.Storage.Hosting;
using DurableTask.Core;

namespace DurablePipelines.Bench.Harness;

/// <summary>
/// The engine's bare start rate: <see cref="TaskHubClient.CreateOrchestrationInstanceAsync(string, string, string, object)"/>
/// on DurableTask.AzureStorage over the same Azurite, in a task hub of its own with no worker (so nothing runs the
/// instances and competes with the creations), with the input a pipeline start carries.
/// </summary>
internal static class CreateInstanceFloor
{
    /// <summary>Seconds to create <paramref name="count"/> instances, <paramref name="concurrency"/> at a time.</summary>
    public static async Task<double> MeasureAsync(string connectionString, RunPipelineInput input, int count, int concurrency)
    {
        var service = AzureStorageTaskHub.Create(new StorageOptions { ConnectionString = connectionString }, $"floor{Guid.NewGuid():N}"[..20], concurrency);
        await service.CreateIfNotExistsAsync();
        var client = PipelineTaskHub.CreateClient(service);
        var watch = Stopwatch.StartNew();
        await Parallel.ForEachAsync(Enumerable.Range(0, count), new ParallelOptions { MaxDegreeOfParallelism = concurrency }, async (i, _) =>
            await client.CreateOrchestrationInstanceAsync(OrchestratorNames.RunPipeline, string.Empty, $"floor-{i}", input with { RunId = $"floor-{i}" }));
        var elapsed = watch.Elapsed.TotalSeconds;
        await service.DeleteAsync();
        return elapsed;
    }
}
