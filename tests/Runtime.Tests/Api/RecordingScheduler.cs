using System.Collections.Concurrent;
using DurablePipelines.Api;
using DurablePipelines.Orchestration;
using DurablePipelines.Records;

namespace DurablePipelines.Tests.Api;

/// <summary>A scheduler that only records the runs it is given; its runs stay pending.</summary>
public sealed class RecordingScheduler : IRunScheduler
{
    private readonly ConcurrentQueue<RunPipelineInput> _scheduled = new();

    public string RunnerName => "recording";

    /// <summary>The runs scheduled so far, in order.</summary>
    public IReadOnlyList<RunPipelineInput> Scheduled => [.. _scheduled];

    public Task ScheduleAsync(RunPipelineInput run, CancellationToken cancellationToken)
    {
        _scheduled.Enqueue(run);
        return Task.CompletedTask;
    }

    public Task<bool> CancelAsync(string runId, CancellationToken cancellationToken) =>
        Task.FromResult(_scheduled.Any(r => r.RunId == runId));

    /// <summary>The suspends (true) and resumes (false) sent so far, in order.</summary>
    public ConcurrentQueue<(string RunId, bool Suspended)> Suspensions { get; } = new();

    public Task<bool> SetSuspendedAsync(string runId, bool suspended, CancellationToken cancellationToken)
    {
        var known = _scheduled.Any(r => r.RunId == runId);
        if (known)
        {
            Suspensions.Enqueue((runId, suspended));
        }

        return Task.FromResult(known);
    }

    /// <summary>The events raised so far, in order.</summary>
    public ConcurrentQueue<(string RunId, RunEventMessage Message)> Events { get; } = new();

    public Task<bool> RaiseEventAsync(string runId, RunEventMessage message, CancellationToken cancellationToken)
    {
        var known = _scheduled.Any(r => r.RunId == runId);
        if (known)
        {
            Events.Enqueue((runId, message));
        }

        return Task.FromResult(known);
    }

    /// <summary>The repairs handed over so far, in order.</summary>
    public ConcurrentQueue<(string RunId, RepairMessage Repair)> Repairs { get; } = new();

    public Task<bool> RepairAsync(string runId, RepairMessage repair, CancellationToken cancellationToken)
    {
        var known = _scheduled.Any(r => r.RunId == runId);
        if (known)
        {
            Repairs.Enqueue((runId, repair));
        }

        return Task.FromResult(known);
    }

    /// <summary>What <see cref="GetProgressAsync"/> answers, by run id; none by default.</summary>
    public ConcurrentDictionary<string, RunProgress> Progress { get; } = new(StringComparer.Ordinal);

    public Task<RunProgress?> GetProgressAsync(string runId, CancellationToken cancellationToken) =>
        Task.FromResult(Progress.GetValueOrDefault(runId));
}
