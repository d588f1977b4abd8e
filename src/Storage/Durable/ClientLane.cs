using DurableTask.Core;

namespace DurablePipelines.Storage.Durable;

/// <summary>
/// A second backend on a host's task hub that carries the host's own client calls (creates, events, terminations,
/// state reads) while <paramref name="WorkerBusy"/> says the worker's backend has no free storage request slot, so
/// that an API call does not wait behind the worker's requests (<see cref="HostOrchestrationService"/>).
/// </summary>
public sealed record ClientLane(IOrchestrationServiceClient Backend, Func<bool> WorkerBusy);
