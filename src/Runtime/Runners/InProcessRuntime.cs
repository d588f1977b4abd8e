using System.Runtime.ExceptionServices;
using DurablePipelines.Activities;
using DurablePipelines.Orchestration;
using DurablePipelines.Records;

namespace DurablePipelines.Runners;

/// <summary>
/// What one in-process run shares: the loop every orchestration continuation of the run runs on (so orchestration
/// code is single-threaded, as on Durable), its cancel, its suspension, the stop events of its task chunks, the batching of its
/// progress, and the reporter. Activities run on the thread pool, each as it is called: the orchestration keeps no
/// more of them in flight than <see cref="MaxConcurrentActivities"/>.
/// </summary>
internal sealed class InProcessRuntime : IDisposable
{
    private Exception? _loopError;

    public InProcessRuntime(PipelineActivities activities, IPipelineReporter reporter, TimeProvider time, int maxConcurrentActivities, CancellationToken cancellationToken)
    {
        Activities = activities;
        Reporter = reporter;
        Time = time;
        MaxConcurrentActivities = maxConcurrentActivities;
        Loop = new OrchestrationLoop(OnLoopError);
        Cancellation = new RunCancellation(Loop, cancellationToken);
        Suspension = new SuspensionEvents(Loop);
        Events = new RunEventMessages(Loop);
        Repairs = new InstanceMailbox<RepairMessage>(Loop);
        RepairWaits = new InstanceMailbox<RepairWaitNotice>(Loop);
        Progress = new ProgressBatch(reporter, Loop);
    }

    public PipelineActivities Activities { get; }

    public IPipelineReporter Reporter { get; }

    public TimeProvider Time { get; }

    public int MaxConcurrentActivities { get; }

    /// <summary>Where the run's orchestration code runs.</summary>
    public OrchestrationLoop Loop { get; }

    /// <summary>The run's <see cref="OrchestrationEvents.Cancel"/> event and its handlers' token.</summary>
    public RunCancellation Cancellation { get; }

    /// <summary>The run's <see cref="OrchestrationEvents.Suspension"/> events: an operator's suspend and resume.</summary>
    public SuspensionEvents Suspension { get; }

    /// <summary>The events raised on the run (<see cref="OrchestrationEvents.RunEvent"/>), for its <c>wait</c> results.</summary>
    public RunEventMessages Events { get; }

    /// <summary>Operators' repairs of waiting results (<see cref="OrchestrationEvents.Repair"/>), by instance.</summary>
    public InstanceMailbox<RepairMessage> Repairs { get; }

    /// <summary>The notices of results waiting for an operator (<see cref="OrchestrationEvents.RepairWait"/>), to the run's instance.</summary>
    public InstanceMailbox<RepairWaitNotice> RepairWaits { get; }

    /// <summary>The <see cref="OrchestrationEvents.Stop"/> events of the run's task chunks.</summary>
    public StopEvents Stops { get; } = new();

    /// <summary>The run's progress, reported once per step of the loop.</summary>
    public ProgressBatch Progress { get; }

    /// <summary>
    /// Runs the run's orchestration to its end. A callback on the loop that threw (a reporter, or a defect) stops the
    /// run as a cancel would, and is thrown here once the orchestration has ended.
    /// </summary>
    public async Task<PipelineExecution> RunAsync(RunPipelineInput input)
    {
        var context = new InProcessOrchestrationContext(this, input.RunId);
        var execution = await Loop.Run(async () =>
        {
            var execution = await PipelineOrchestration.RunPipelineAsync(context, input);
            Progress.Flush();
            return execution;
        });
        if (Volatile.Read(ref _loopError) is { } error)
        {
            ExceptionDispatchInfo.Throw(error);
        }

        return execution;
    }

    public void Dispose() => Cancellation.Dispose();

    private void OnLoopError(Exception error)
    {
        if (Interlocked.CompareExchange(ref _loopError, error, null) is null)
        {
            Cancellation.Cancel();
        }
    }
}
