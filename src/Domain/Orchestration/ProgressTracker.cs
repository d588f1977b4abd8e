using DurablePipelines.Records;

namespace DurablePipelines.Orchestration;

/// <summary>Counts per status for one orchestration instance, published as custom status after every change.</summary>
internal sealed class ProgressTracker(IOrchestrationContext context)
{
    private const int MaxFailures = 10;
    private const int MaxRunningTasks = 20;

    private readonly int[] _tasks = new int[5];
    private readonly int[] _results = new int[5];
    private readonly List<string> _runningTasks = [];
    private readonly Queue<string> _failures = new();

    public RunStatus Status { get; set; } = RunStatus.Running;

    public void AddTasks(int count) => _tasks[(int)RunStatus.Pending] += count;

    public void TaskChanged(string task, RunStatus from, RunStatus to)
    {
        _tasks[Slot(from)]--;
        _tasks[Slot(to)]++;
        if (to == RunStatus.Running)
        {
            _runningTasks.Add(task);
        }
        else if (from == RunStatus.Running)
        {
            _runningTasks.Remove(task);
        }
    }

    public void AddResults(int count) => _results[(int)RunStatus.Pending] += count;

    public void ResultChanged(RunStatus from, RunStatus to)
    {
        _results[Slot(from)]--;
        _results[Slot(to)]++;
    }

    public void Failure(string description)
    {
        _failures.Enqueue(description);
        if (_failures.Count > MaxFailures)
        {
            _failures.Dequeue();
        }
    }

    public void Publish() => context.SetCustomStatus(new RunProgress
    {
        InstanceId = context.InstanceId,
        Status = Status,
        Tasks = Counts(_tasks),
        Results = Counts(_results),
        RunningTasks = [.. _runningTasks.Take(MaxRunningTasks)],
        Failures = [.. _failures],
        UpdatedAt = context.CurrentUtcDateTime,
    });

    private static int Slot(RunStatus status) => status == RunStatus.Terminated ? (int)RunStatus.Cancelled : (int)status;

    private static StatusCounts Counts(int[] c) => new(c[0], c[1], c[2], c[3], c[4]);
}
