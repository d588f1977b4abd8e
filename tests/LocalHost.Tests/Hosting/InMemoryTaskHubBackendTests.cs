using DurablePipelines.LocalHost.Hosting;
using DurableTask.Core;
using DurableTask.Core.History;

namespace DurablePipelines.LocalHost.Tests.Hosting;

/// <summary>
/// The in-memory backend of <c>dp run --runner durable</c>, driven as the engine's orchestration dispatcher drives
/// it: work items locked, completed with messages to other orchestrations, released.
/// </summary>
public sealed class InMemoryTaskHubBackendTests
{
    /// <summary>
    /// A parent that tells a running chunk to stop as that chunk completes (rule 4 across chunks) is two episodes
    /// saved at once, each with a message for the other. The package's store saves an episode under its instance's
    /// lock and takes the other instance's lock for each message, so two such saves could wait for each other forever
    /// and the run never ended.
    /// </summary>
    [Fact]
    public async Task TwoEpisodesSavedAtOnce_EachWithAMessageForTheOther_BothComplete()
    {
        // Through the interface, as the engine's dispatchers call it: the backend re-implements interface members.
#pragma warning disable CA1859
        IOrchestrationService service = new InMemoryTaskHubBackend(concurrency: 2);
#pragma warning restore CA1859
        var client = (IOrchestrationServiceClient)service;
        for (var pair = 0; pair < 1_000; pair++)
        {
            var (a, b) = ($"a{pair}", $"b{pair}");
            await client.CreateTaskOrchestrationAsync(Start(a));
            await client.CreateTaskOrchestrationAsync(Start(b));
            var items = await LockAsync(service, a, b);

            using var barrier = new Barrier(2);
            var saves = Task.WhenAll(
                Task.Factory.StartNew(() => Save(service, barrier, items[a], b), TaskCreationOptions.LongRunning),
                Task.Factory.StartNew(() => Save(service, barrier, items[b], a), TaskCreationOptions.LongRunning));
            var finished = await Task.WhenAny(saves, Task.Delay(TimeSpan.FromSeconds(10)));
            Assert.True(finished == saves, $"pair {pair}: the two saves still wait for each other after 10 s");

            await service.ReleaseTaskOrchestrationWorkItemAsync(items[a]);
            await service.ReleaseTaskOrchestrationWorkItemAsync(items[b]);
        }
    }

    private static TaskMessage Start(string instanceId)
    {
        var instance = new OrchestrationInstance { InstanceId = instanceId, ExecutionId = Guid.NewGuid().ToString("N") };
        return new TaskMessage
        {
            OrchestrationInstance = instance,
            Event = new ExecutionStartedEvent(-1, "null") { Name = "Pair", Version = "", OrchestrationInstance = instance },
        };
    }

    /// <summary>Locks the work items of <paramref name="a"/> and <paramref name="b"/>, completing any earlier instance woken by a late message.</summary>
    private static async Task<Dictionary<string, TaskOrchestrationWorkItem>> LockAsync(IOrchestrationService service, string a, string b)
    {
        var items = new Dictionary<string, TaskOrchestrationWorkItem>();
        while (items.Count < 2)
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            var item = await service.LockNextTaskOrchestrationWorkItemAsync(TimeSpan.FromMinutes(1), timeout.Token);
            if (item.InstanceId == a || item.InstanceId == b)
            {
                items[item.InstanceId] = item;
            }
            else
            {
                // Already completed: the message that woke it is dropped with the episode.
                await service.CompleteTaskOrchestrationWorkItemAsync(item, item.OrchestrationRuntimeState, [], [], [], null, Record(item.OrchestrationRuntimeState));
                await service.ReleaseTaskOrchestrationWorkItemAsync(item);
            }
        }

        return items;
    }

    private static void Save(IOrchestrationService service, Barrier barrier, TaskOrchestrationWorkItem item, string other)
    {
        var message = new TaskMessage
        {
            OrchestrationInstance = new OrchestrationInstance { InstanceId = other },
            Event = new EventRaisedEvent(-1, "null") { Name = "Stop" },
        };
        barrier.SignalAndWait();
        Complete(service, item, message).GetAwaiter().GetResult();
    }

    /// <summary>Completes the orchestration with the episode's messages in its history and <paramref name="message"/> sent.</summary>
    private static Task Complete(IOrchestrationService service, TaskOrchestrationWorkItem item, TaskMessage message)
    {
        var state = item.OrchestrationRuntimeState;
        state.AddEvent(new OrchestratorStartedEvent(-1));
        foreach (var received in item.NewMessages)
        {
            state.AddEvent(received.Event);
        }

        state.AddEvent(new ExecutionCompletedEvent(0, "null", OrchestrationStatus.Completed));
        state.AddEvent(new OrchestratorCompletedEvent(-1));
        return service.CompleteTaskOrchestrationWorkItemAsync(item, state, [], [message], [], null, Record(state));
    }

    private static OrchestrationState Record(OrchestrationRuntimeState state) => new()
    {
        OrchestrationInstance = state.OrchestrationInstance,
        Name = state.Name,
        OrchestrationStatus = OrchestrationStatus.Completed,
        CreatedTime = state.CreatedTime,
        LastUpdatedTime = DateTime.UtcNow,
    };
}
