using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using DurablePipelines.Handlers;

namespace DurablePipelines.Tests.Conformance;

/// <summary>
/// <c>counting</c>, a test double of the conformance suite: counts its calls per task and item under the config's
/// <c>key</c> (one per test), and fails the items a test broke under that key until the test mends them. Its output
/// is the items it ran for and its parents' outputs, so children see the same output whichever run gave it. Every runner of the suite registers
/// it; the counts live in this process, where every runner of the suite runs its handlers.
/// </summary>
public sealed class CountingTask : IPipelineTask
{
    /// <summary>The name the suite registers it under.</summary>
    public const string Name = "counting";

    private static readonly ConcurrentDictionary<string, int> s_calls = new(StringComparer.Ordinal);
    private static readonly ConcurrentDictionary<string, int> s_succeeded = new(StringComparer.Ordinal);
    private static readonly ConcurrentDictionary<string, bool> s_broken = new(StringComparer.Ordinal);

    /// <summary>The config of a task counted under <paramref name="key"/>.</summary>
    public static JsonObject Config(string key) => new() { ["key"] = key };

    /// <summary>Makes the handler fail, under <paramref name="key"/>, for each of <paramref name="items"/> (pipeline or task items).</summary>
    public static void Break(string key, params JsonNode[] items)
    {
        foreach (var item in items)
        {
            s_broken[$"{key}|{item.ToJsonString()}"] = true;
        }
    }

    /// <summary>Makes every item succeed again under <paramref name="key"/>.</summary>
    public static void Mend(string key)
    {
        foreach (var broken in s_broken.Keys.Where(k => k.StartsWith(key + "|", StringComparison.Ordinal)))
        {
            s_broken.TryRemove(broken, out _);
        }
    }

    /// <summary>Calls of <paramref name="task"/> under <paramref name="key"/> for a pipeline item and a task item (null when none).</summary>
    public static int Calls(string key, string task, JsonNode? item, JsonNode? taskItem) => s_calls.GetValueOrDefault(Entry(key, task, item, taskItem));

    /// <summary>Calls that succeeded, counted as <see cref="Calls"/>.</summary>
    public static int Succeeded(string key, string task, JsonNode? item, JsonNode? taskItem) => s_succeeded.GetValueOrDefault(Entry(key, task, item, taskItem));

    public Task<JsonNode?> ExecuteAsync(TaskContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var key = context.Config?["key"]?.GetValue<string>() ?? throw new InvalidOperationException("counting needs a 'key'");
        var entry = Entry(key, context.Task, context.Item, context.TaskItem);
        s_calls.AddOrUpdate(entry, 1, (_, n) => n + 1);
        if (IsBroken(key, context.Item) || IsBroken(key, context.TaskItem))
        {
            throw new InvalidOperationException($"'{context.Task}' is broken for this item");
        }

        s_succeeded.AddOrUpdate(entry, 1, (_, n) => n + 1);
        return Task.FromResult<JsonNode?>(new JsonObject { ["item"] = context.Item?.DeepClone(), ["taskItem"] = context.TaskItem?.DeepClone(), ["parents"] = context.Parents.DeepClone() });
    }

    private static bool IsBroken(string key, JsonNode? item) => item is not null && s_broken.ContainsKey($"{key}|{item.ToJsonString()}");

    private static string Entry(string key, string task, JsonNode? item, JsonNode? taskItem) =>
        $"{key}|{task}|{item?.ToJsonString()}|{taskItem?.ToJsonString()}";
}
