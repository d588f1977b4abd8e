using DurableTask.Core;
using Microsoft.DurableTask.Testing.Sidecar;

namespace DurablePipelines.LocalHost.Hosting;

/// <summary>
/// The in-memory backend of <c>dp run --runner durable</c>: the Durable Task engine's history and replay with no
/// storage account. It is the InProcessTestHost package's <see cref="InMemoryOrchestrationService"/> (a preview
/// package, used only for this dry run, never by <c>dp serve</c>), with as many work items at once as the
/// <c>parallel</c> runner has activities in flight instead of one per processor.
/// </summary>
internal sealed class InMemoryTaskHubBackend(int concurrency) : InMemoryOrchestrationService, IOrchestrationService
{
    int IOrchestrationService.MaxConcurrentTaskOrchestrationWorkItems => concurrency;

    int IOrchestrationService.MaxConcurrentTaskActivityWorkItems => concurrency;
}
