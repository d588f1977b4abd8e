using DurableTask.Core;
using Microsoft.DurableTask.Testing.Sidecar;

namespace DurablePipelines.FunctionApp.Tests.Engine;

/// <summary>
/// The in-memory backend of the InProcessTestHost package with as many work items at once as a Functions host
/// runs by default, instead of one per processor: on a 2-core machine two slots would serialize what the rules
/// expect to run at the same time. Re-implementing the interface replaces only these two members.
/// </summary>
internal sealed class WideInMemoryOrchestrationService : InMemoryOrchestrationService, IOrchestrationService
{
    /// <summary>host.json's <c>maxConcurrentActivityFunctions</c> and <c>maxConcurrentOrchestratorFunctions</c> are of this order.</summary>
    public const int Concurrency = 32;

    int IOrchestrationService.MaxConcurrentTaskOrchestrationWorkItems => Concurrency;

    int IOrchestrationService.MaxConcurrentTaskActivityWorkItems => Concurrency;
}
