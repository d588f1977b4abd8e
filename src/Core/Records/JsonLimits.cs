using System.Text.Json.Nodes;

namespace DurablePipelines.Records;

/// <summary>
/// The one home of the JSON limits: how deep every document the engine writes or reads may nest (records,
/// payloads, messages, the engine's history; <see cref="PipelineJson"/>'s options carry it), and how deep a run's own
/// values (its input, a task's output) may nest so that every place a record puts them still fits. Starts are
/// checked against these at the door, so nothing accepted fails when it is stored.
/// </summary>
public static class JsonLimits
{
    /// <summary>
    /// The nesting depth of any document the engine writes or reads: System.Text.Json's default, and
    /// Newtonsoft.Json's, which the Durable Functions host reads with, so both sides agree.
    /// </summary>
    public const int MaxDepth = 64;

    /// <summary>
    /// The containers a run record puts around a value of the run at its deepest: a task result's output (or
    /// its item, a part of the input) sits in
    /// <c>{ "pipelineResults": [ { "taskExecutions": [ { "taskResults": [ { "output": … } ] } ] } ] }</c>, 7 levels.
    /// Every other place is shallower: the admitted run in its record (<c>$.$admitted.input</c>) 2, a chunk's input
    /// (<c>$.template.context.parents.task[…]</c>) 5, a result in a chunk's output
    /// (<c>$.results[…].output</c>) 3.
    /// </summary>
    public const int RecordMargin = 7;

    /// <summary>
    /// How deep a run's input and a task's output may nest (a scalar is 0, <c>{}</c> 1, <c>{"a":[]}</c> 2): deep
    /// enough for any real document, shallow enough that a record holding it stays within <see cref="MaxDepth"/>.
    /// </summary>
    public const int MaxValueDepth = MaxDepth - RecordMargin;

    /// <summary>
    /// The largest start body or message any host may be configured to read (<c>Pipelines:MaxRequestBytes</c>):
    /// every string in it then stays under the 166 MB System.Text.Json can write as one value.
    /// </summary>
    public const int MaxTextBytes = 100 * 1024 * 1024;

    /// <summary>How deep <paramref name="value"/> nests: 0 for null or a scalar, 1 for an empty object or array.</summary>
    public static int DepthOf(JsonNode? value)
    {
        if (value is not (JsonObject or JsonArray))
        {
            return 0;
        }

        var deepest = 0;
        var pending = new Stack<(JsonNode Node, int Depth)>();
        pending.Push((value, 1));
        while (pending.TryPop(out var current))
        {
            deepest = Math.Max(deepest, current.Depth);
            IEnumerable<JsonNode?> children = current.Node is JsonObject obj ? obj.Select(p => p.Value) : current.Node.AsArray();
            foreach (var child in children)
            {
                if (child is JsonObject or JsonArray)
                {
                    pending.Push((child, current.Depth + 1));
                }
            }
        }

        return deepest;
    }
}
