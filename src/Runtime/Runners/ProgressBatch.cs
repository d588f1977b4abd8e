using DurablePipelines.Records;

namespace DurablePipelines.Runners;

/// <summary>
/// Reports the progress of an in-process run's orchestrations once per step of the run's loop: however many results a
/// step sees, each orchestration's progress is built and reported once, as it stands at the end of the step.
/// </summary>
/// <remarks>Used as orchestration code, on the loop: it takes no lock.</remarks>
internal sealed class ProgressBatch(IPipelineReporter reporter, SynchronizationContext loop)
{
    // Orchestrations whose progress changed since it was last reported, in the order they published.
    private readonly List<Func<RunProgress>> _toReport = [];
    private readonly HashSet<Func<RunProgress>> _queued = new(ReferenceEqualityComparer.Instance);

    /// <summary>Reports <paramref name="progress"/> once the continuations queued before it have run.</summary>
    public void Publish(Func<RunProgress> progress)
    {
        if (!_queued.Add(progress))
        {
            return;
        }

        _toReport.Add(progress);
        if (_toReport.Count == 1)
        {
            loop.Post(static s => ((ProgressBatch)s!).Flush(), this);
        }
    }

    /// <summary>Reports what was published since the last report, now.</summary>
    public void Flush()
    {
        // Cleared whatever happens: a reporter that throws fails the run, and must not also stop later reports.
        try
        {
            foreach (var progress in _toReport)
            {
                reporter.Progress(progress());
            }
        }
        finally
        {
            _toReport.Clear();
            _queued.Clear();
        }
    }
}
