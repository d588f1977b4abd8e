using System.Text.Json.Nodes;
using DurablePipelines.Records;

namespace DurablePipelines.Orchestration;

/// <summary>The items the lanes of a <see cref="TaskResultRunner"/> share: the next one to take, and the results so far.</summary>
internal sealed class TaskResultWindow(IReadOnlyList<JsonNode?> items, int firstIndex, int lanes)
{
    // A slot stays null until its result is recorded; Complete fills the ones that never started.
    private readonly TaskResult?[] _results = new TaskResult?[items.Count];

    /// <summary>True while an item is left to take.</summary>
    public bool HasNext => Next < items.Count;

    /// <summary>Lanes that have not ended yet.</summary>
    public int LanesRunning { get; private set; } = lanes;

    /// <summary>One result per item, in item order; complete once every lane has ended.</summary>
    public TaskResult[] Results => _results!;

    private int Next { get; set; }

    /// <summary>Takes the next item: its task result's index in the whole iterator, and the item.</summary>
    public (int Slot, int Index, JsonNode? Item) TakeNext()
    {
        var slot = Next++;
        return (slot, firstIndex + slot, items[slot]);
    }

    /// <summary>Records the result of the item taken in <paramref name="slot"/>.</summary>
    public void Record(int slot, TaskResult result) => _results[slot] = result;

    /// <summary>
    /// Ends a lane. The last one to end records every item never taken as not started, with the reason
    /// <paramref name="notStarted"/> gives.
    /// </summary>
    public void LaneEnded(Func<string> notStarted)
    {
        if (--LanesRunning > 0)
        {
            return;
        }

        string? reason = null;
        for (var i = 0; i < _results.Length; i++)
        {
            _results[i] ??= TaskResultRunner.NotStarted(firstIndex + i, items[i], reason ??= notStarted());
        }
    }
}
