using System.Diagnostics;
using DurablePipelines.Durable.Hosting;
using DurablePipelines.Orchestration;
using DurablePipelines.Storage.Durable;
using DurablePipelines.Storage.Hosting;
using DurableTask.Core;

namespace DurablePipelines.Bench.Harness;

/// <summary>
/// The engine's start rate: <see cref="TaskHubClient.CreateOrchestrationInstanceAsync(string, string, string, object)"/>
/// on DurableTask.AzureStorage over the same Azurite, with the input a pipeline start carries: bare, in a task hub of
/// its own with no worker (nothing runs the instances and competes with the creations), and in a host's task hub whose
/// worker runs the pipelines it creates as they arrive.
/// </summary>
internal static class CreateInstanceFloor
{
    /// <summary>Seconds to create <paramref name="count"/> instances, <paramref name="concurrency"/> at a time, in a hub with no worker.</summary>
    public static async Task<double> MeasureAsync(string connectionString, RunPipelineInput input, int count, int concurrency)
    {
        var service = AzureStorageTaskHub.Create(new StorageOptions { ConnectionString = connectionString }, $"floor{Guid.NewGuid():N}"[..20], concurrency);
        await service.CreateIfNotExistsAsync();
        var (elapsed, _) = await CreateManyAsync(PipelineTaskHub.CreateClient(service), "floor", input, count, concurrency);
        await service.DeleteAsync();
        return elapsed;
    }

    /// <summary>
    /// A client of the task hub <paramref name="hubName"/>, whose host's worker runs the RunPipeline instances it
    /// creates (see <see cref="SameHubFloor"/>).
    /// </summary>
    public static SameHubFloor InHub(string connectionString, string hubName, RunPipelineInput input) =>
        new(PipelineTaskHub.CreateClient(AzureStorageTaskHub.Create(new StorageOptions { ConnectionString = connectionString }, hubName, 1)), input);

    /// <summary>Creates instances in a host's hub in blocks, timed, and later waits for all of them to complete.</summary>
    internal sealed class SameHubFloor(TaskHubClient client, RunPipelineInput input)
    {
        private readonly List<string> _created = [];

        /// <summary>Seconds to create <paramref name="count"/> instances, <paramref name="concurrency"/> at a time.</summary>
        public async Task<double> CreateAsync(int count, int concurrency)
        {
            var (elapsed, ids) = await CreateManyAsync(client, $"floor-{Guid.NewGuid():N}"[..14], input, count, concurrency);
            _created.AddRange(ids);
            return elapsed;
        }

        /// <summary>Waits for these instances too (<see cref="WaitAllAsync"/>): ones made through another client of the hub.</summary>
        public void Track(IEnumerable<string> instanceIds) => _created.AddRange(instanceIds);

        /// <summary>
        /// Waits until every created instance has completed, polling <paramref name="readers"/> of them at a time every
        /// 500 ms, but no longer than <paramref name="limit"/>; returns how many had completed by then.
        /// </summary>
        public Task<int> WaitAllAsync(int readers, TimeSpan limit) =>
            BoundedWait.CountDoneAsync(_created, readers, limit, async (id, token) =>
            {
                while ((await client.GetOrchestrationStateAsync(id))?.OrchestrationStatus is not { } status || !IsEnded(status))
                {
                    await Task.Delay(500, token);
                }

                var state = (await client.GetOrchestrationStateAsync(id))!;
                if (state.OrchestrationStatus != OrchestrationStatus.Completed)
                {
                    throw new InvalidOperationException($"the floor's instance '{id}' ended {state.OrchestrationStatus}: {state.Output}");
                }
            });
    }

    private static bool IsEnded(OrchestrationStatus status) =>
        status is OrchestrationStatus.Completed or OrchestrationStatus.Failed or OrchestrationStatus.Terminated or OrchestrationStatus.Canceled;

    private static async Task<(double Elapsed, string[] Ids)> CreateManyAsync(TaskHubClient client, string prefix, RunPipelineInput input, int count, int concurrency)
    {
        var ids = Enumerable.Range(0, count).Select(i => $"{prefix}-{i}").ToArray();
        var watch = Stopwatch.StartNew();
        await Parallel.ForEachAsync(ids, new ParallelOptions { MaxDegreeOfParallelism = concurrency }, async (id, _) =>
            await client.CreateOrchestrationInstanceAsync(OrchestratorNames.RunPipeline, string.Empty, id, input with { RunId = id }));
        return (watch.Elapsed.TotalSeconds, ids);
    }
}
