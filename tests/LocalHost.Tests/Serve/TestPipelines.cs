using DurablePipelines.TestSupport;

namespace DurablePipelines.LocalHost.Tests.Serve;

/// <summary>The pipeline definitions the serve tests start, written to a folder the host loads.</summary>
internal static class TestPipelines
{
    /// <summary>One echo task.</summary>
    public const string Hello = """
        { "name": "hello", "version": "3", "tasks": [ { "name": "say", "handler": "echo", "config": { "message": "hi" } } ] }
        """;

    /// <summary>An echo per item of <c>input.items</c>, then a fan-in.</summary>
    public const string Fan = """
        {
          "name": "fan",
          "tasks": [
            { "name": "each", "handler": "echo", "iterator": "input.items", "maxConcurrency": 4 },
            { "name": "after", "handler": "echo", "parents": ["each"] }
          ]
        }
        """;

    /// <summary>A diamond: a, then b and c, then d.</summary>
    public const string Diamond = """
        {
          "name": "diamond",
          "tasks": [
            { "name": "a", "handler": "echo" },
            { "name": "b", "handler": "echo", "parents": ["a"] },
            { "name": "c", "handler": "echo", "parents": ["a"] },
            { "name": "d", "handler": "echo", "parents": ["b", "c"] }
          ]
        }
        """;

    /// <summary>Active for about a second, then succeeds.</summary>
    public const string Sleepy = """
        { "name": "sleepy", "tasks": [ { "name": "nap", "handler": "sleep", "config": { "ms": 1000 } } ] }
        """;

    /// <summary>As <see cref="Sleepy"/>, with <c>multilaunch</c>.</summary>
    public const string Multi = """
        { "name": "multi", "multilaunch": true, "tasks": [ { "name": "nap", "handler": "sleep", "config": { "ms": 1000 } } ] }
        """;

    /// <summary>
    /// Active until the test releases its one result (<see cref="ServeApp.Held"/>); a cancel ends it when that result
    /// does (on the engine a running handler is not signalled, docs/rules.md, Cancellation).
    /// </summary>
    public const string Long = """
        { "name": "long", "tasks": [ { "name": "wait", "handler": "held" } ] }
        """;

    /// <summary>One slow result at a time per item of <c>input.items</c>, then a fan-in: something to cancel.</summary>
    public const string SlowFan = """
        {
          "name": "slow-fan",
          "tasks": [
            { "name": "each", "handler": "sleep", "iterator": "input.items", "maxConcurrency": 1, "config": { "ms": 300 } },
            { "name": "after", "handler": "echo", "parents": ["each"] }
          ]
        }
        """;

    /// <summary>An approval gate: <c>publish</c> runs once the <c>approval</c> event is raised, with its body.</summary>
    public const string Gate = """
        {
          "name": "gate",
          "tasks": [
            { "name": "approve", "handler": "wait", "config": { "event": "approval" } },
            { "name": "publish", "handler": "echo", "parents": ["approve"] }
          ]
        }
        """;

    /// <summary>
    /// Operator repair: <c>load</c> fails for item 2 (the <c>fail</c> handler's <c>items</c>) and waits for an operator;
    /// <c>report</c> runs once every result of <c>load</c> has ended.
    /// </summary>
    public const string Repairable = """
        {
          "name": "repairable",
          "tasks": [
            { "name": "load", "handler": "fail", "iterator": "input.items", "config": { "items": [2], "message": "row 2 is malformed" }, "repair": {} },
            { "name": "report", "handler": "echo", "parents": ["load"] }
          ]
        }
        """;

    /// <summary>A folder with every definition above, one file each.</summary>
    public static TempFolder WriteFolder()
    {
        var folder = new TempFolder();
        foreach (var (name, json) in new[] { ("hello", Hello), ("fan", Fan), ("diamond", Diamond), ("sleepy", Sleepy), ("multi", Multi), ("long", Long), ("slow-fan", SlowFan), ("gate", Gate), ("repairable", Repairable) })
        {
            folder.Write($"{name}.json", json);
        }

        return folder;
    }
}
