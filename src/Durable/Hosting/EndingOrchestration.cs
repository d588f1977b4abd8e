using System.Diagnostics;
using DurableTask.Core.Exceptions;

namespace DurablePipelines.Durable.Hosting;

/// <summary>
/// Creating a run's orchestration when the run id was used before. A run id may be used again once its run has
/// finished, and the run's record is final as soon as the orchestration has saved it, a moment before the orchestration
/// itself ends. A create in that moment is refused with <see cref="OrchestrationAlreadyExistsException"/> (dp serve's
/// backend is set to refuse so; Durable Functions' extension refuses so by default, its
/// <c>overridableExistingInstanceStates</c> being <c>NonRunningStates</c>), and is tried again here until the earlier
/// orchestration has ended, for at most <see cref="MaxWait"/>. Every host creates runs through this.
/// </summary>
public static class EndingOrchestration
{
    /// <summary>How long a create waits for the earlier orchestration of its run id to end.</summary>
    public static readonly TimeSpan MaxWait = TimeSpan.FromSeconds(30);

    private static readonly TimeSpan s_pollInterval = TimeSpan.FromMilliseconds(50);

    /// <summary>Runs <paramref name="create"/> until it is not refused because an orchestration of <paramref name="runId"/> has not ended.</summary>
    public static async Task<T> CreateAsync<T>(string runId, Func<Task<T>> create, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(create);
        var waited = Stopwatch.StartNew();
        while (true)
        {
            try
            {
                return await create();
            }
            catch (OrchestrationAlreadyExistsException) when (waited.Elapsed < MaxWait)
            {
                await Task.Delay(s_pollInterval, cancellationToken);
            }
            catch (OrchestrationAlreadyExistsException e)
            {
                throw new InvalidOperationException($"run '{runId}' has an orchestration that has not ended after {MaxWait.TotalSeconds:F0} s", e);
            }
        }
    }
}
