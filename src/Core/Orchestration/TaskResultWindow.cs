using System.Text.Json.Nodes;
using DurablePipelines.Records;

namespace DurablePipelines.Orchestration;

/// <summary>The items the lanes of a <see cref="TaskResultRunner"/> share: the next one to take, and the results so far.</summary>
internal sealed class TaskResultWindow
{
    private readonly IReadOnlyList<JsonNode?> _items;
    private readonly int _firstIndex;

    // A slot stays null until its result is recorded, or it is recorded as never started; a reused one is filled from the start.
    private readonly TaskResult?[] _results;
    private int _next;

    /// <summary>A window over <paramref name="items"/>, whose slots with a result in <paramref name="reused"/> are never taken.</summary>
    public TaskResultWindow(IReadOnlyList<JsonNode?> items, int firstIndex, int lanes, TaskResult?[]? reused = null)
    {
        _items = items;
        _firstIndex = firstIndex;
        _results = reused is null ? new TaskResult?[items.Count] : [.. reused];
        LanesRunning = lanes;
        SkipReused();
    }

    /// <summary>True while an item is left to take.</summary>
    public bool HasNext => _next < _items.Count;

    /// <summary>Lanes that have not ended yet.</summary>
    public int LanesRunning { get; private set; }

    /// <summary>One result per item, in item order; complete once every lane has ended.</summary>
    public TaskResult[] Results => _results!;

    /// <summary>Takes the next item: its task result's index in the whole iterator, and the item.</summary>
    public (int Slot, int Index, JsonNode? Item) TakeNext()
    {
        var slot = _next++;
        SkipReused();
        return (slot, _firstIndex + slot, _items[slot]);
    }

    /// <summary>Records the result of the item taken in <paramref name="slot"/>.</summary>
    public void Record(int slot, TaskResult result) => _results[slot] = result;

    /// <summary>Ends a lane; true for the last one, once the items left (if any) will never be taken.</summary>
    public bool LaneEnded() => --LanesRunning == 0;

    /// <summary>Records every item never taken as a result that never started, saying <paramref name="reason"/>.</summary>
    public void RecordNotStarted(string reason)
    {
        for (var i = _next; i < _results.Length; i++)
        {
            _results[i] ??= TaskResultRunner.NotStarted(_firstIndex + i, _items[i], reason);
        }
    }

    private void SkipReused()
    {
        while (_next < _results.Length && _results[_next] is not null)
        {
            _next++;
        }
    }
}
