using System.Text.Json.Nodes;
using DurablePipelines.Definitions;
using DurablePipelines.Records;

namespace DurablePipelines.Orchestration;

/// <summary>
/// Runs the results of a task whose iterator has more items than the chunk size, as task chunk sub-orchestrations
/// (<see cref="OrchestratorNames.RunTaskChunk"/>) of at most that many items, so no history grows without bound.
/// <c>ceil(maxConcurrency / chunkSize)</c> chunks run at once and share the task's bound. A failed result stops the
/// task across chunks (rule 4): no new chunk starts, and the chunks already running are told to start no more results.
/// With tolerated failures, a chunk may fail what is left of the task's allowance when it starts; the task stops once
/// the chunks together have failed more than it tolerates.
/// </summary>
/// <remarks>One per chunked task execution: it keeps which chunk is next, which run, and the results so far.</remarks>
internal sealed class TaskChunkRunner
{
    private readonly IOrchestrationContext _context;
    private readonly ActivityLimit _limit;
    private readonly StopSignal _signal;
    private readonly PipelineResultStop _stop;
    private readonly ProgressTracker _progress;
    private readonly TaskDefinition _task;
    private readonly RepairPolicy? _repair;
    private readonly TaskResultRequest _template;
    private readonly IReadOnlyList<JsonNode?> _items;
    private readonly int _size;
    private readonly int _chunkCount;
    private readonly int _tolerated;
    private readonly TaskResult?[] _results;
    private readonly TaskResult?[]? _reused;
    private readonly List<string> _running = [];
    private int _next;
    private int _failures;

    public TaskChunkRunner(IOrchestrationContext context, ActivityLimit limit, StopSignal signal, PipelineResultStop stop, ProgressTracker progress, TaskDefinition task, RepairPolicy? repair, TaskResultRequest template, IReadOnlyList<JsonNode?> items, int chunkSize, int tolerated, TaskResult?[]? reused = null)
    {
        _context = context;
        _limit = limit;
        _signal = signal;
        _stop = stop;
        _progress = progress;
        _task = task;
        _repair = repair;
        _template = template;
        _items = items;
        _size = chunkSize;
        _chunkCount = (items.Count + chunkSize - 1) / chunkSize;
        _tolerated = tolerated;
        _results = new TaskResult?[items.Count];
        _reused = reused;
    }

    /// <summary>Runs the chunks; returns one result per item, in item order, those never started included.</summary>
    public async Task<TaskResult[]> RunAsync()
    {
        var chunkLanes = _task.MaxConcurrency is { } m ? Math.Max(1, (m + _size - 1) / _size) : _chunkCount;
        var lanes = new Task[Math.Min(chunkLanes, _chunkCount)];
        for (var l = 0; l < lanes.Length; l++)
        {
            lanes[l] = RunLaneAsync(ResultsAtOnce(l));
        }

        await Task.WhenAll(lanes);
        var reason = Failed ? TaskResultRunner.FailedBeyond(_tolerated) : _stop.Reason;
        for (var i = 0; i < _results.Length; i++)
        {
            _results[i] ??= TaskResultRunner.NotStarted(i, _items[i], reason);
        }

        return _results!;
    }

    /// <summary>
    /// How many results at once the chunks of lane <paramref name="lane"/> run: at most <c>min(size, m - lane * size)</c>,
    /// so the lanes together never run more than the task's maxConcurrency m, however the items split into chunks.
    /// </summary>
    private int ResultsAtOnce(int lane)
    {
        var perChunk = Math.Min(_size, Math.Min(_task.MaxConcurrency ?? _size, _limit.Capacity));
        return _task.MaxConcurrency is { } m ? Math.Max(1, Math.Min(perChunk, m - (lane * _size))) : perChunk;
    }

    /// <summary>
    /// One lane: while a chunk is left and nothing stops the task, waits while the run is suspended, takes slots for the chunk's results (as many as
    /// are free, up to <paramref name="wanted"/>), asks again, and runs the next chunk with them.
    /// </summary>
    private async Task RunLaneAsync(int wanted)
    {
        while (MayStartNext())
        {
            await _signal.WhileSuspendedAsync();
            var lanes = await _limit.TakeAsync(wanted);
            if (_signal.Suspended)
            {
                _limit.Release(lanes);
                continue;
            }

            if (!MayStartNext())
            {
                _limit.Release(lanes);
                break;
            }

            var chunk = _next++;
            TaskChunkOutput output;
            try
            {
                output = await RunChunkAsync(chunk, lanes);
            }
            finally
            {
                _limit.Release(lanes);
            }

            Record(output);
            _progress.Publish();
        }
    }

    private bool Failed => _failures > _tolerated;

    private bool MayStartNext() => !Failed && _next < _chunkCount && !_stop.Stopping;

    private async Task<TaskChunkOutput> RunChunkAsync(int chunk, int lanes)
    {
        var first = chunk * _size;
        var instanceId = ActivityKeys.ChunkInstance(_template.RunId, _template.PipelineResult, _template.Task, chunk);
        using (_signal.Track(instanceId))
        {
            _running.Add(instanceId);
            try
            {
                return await _context.CallSubOrchestratorAsync<TaskChunkOutput>(
                    OrchestratorNames.RunTaskChunk,
                    instanceId,
                    new TaskChunkInput { Template = _template, FirstIndex = first, Items = _items.Skip(first).Take(_size).ToList(), Lanes = lanes, ToleratedFailures = _tolerated - _failures, RunEvents = _signal.Events.Snapshot, Retry = _task.Retry, Repair = _repair, Reused = _reused?.Skip(first).Take(_size).OfType<TaskResult>().ToList() ?? [] });
            }
            finally
            {
                _running.Remove(instanceId);
            }
        }
    }

    /// <summary>
    /// Keeps the results the chunk started; the failure that goes beyond what the task tolerates stops the task's other
    /// running chunks.
    /// </summary>
    private void Record(TaskChunkOutput output)
    {
        var failedBefore = Failed;
        foreach (var r in output.Results)
        {
            if (r.Status != RunStatus.Cancelled || r.Attempts > 0)
            {
                _results[r.Index] = r;
                _progress.ResultChanged(RunStatus.Pending, r.Status);
            }

            if (r.Status == RunStatus.Failed)
            {
                _failures++;
            }
        }

        if (Failed && !failedBefore)
        {
            // Rule 4: the chunks of this task already running, which check only their own signal, start no more
            // results. Other tasks' chunks keep running.
            foreach (var other in _running)
            {
                _context.SendEvent(other, OrchestrationEvents.Stop, TaskResultRunner.FailedBeyond(_tolerated));
            }
        }
    }
}
