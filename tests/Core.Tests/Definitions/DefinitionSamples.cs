namespace DurablePipelines.Tests.Definitions;

/// <summary>
/// Definitions shared by the reader, validator and schema tests: every <see cref="Valid"/> one is accepted by
/// reader and validator (and must pass the JSON Schema); every <see cref="Refused"/> one is refused by the reader.
/// </summary>
internal static class DefinitionSamples
{
    /// <summary>The example of docs/definition.md (the first one, kept identical), with built-in handlers so it validates.</summary>
    public const string Design = """
        {
          "$schema": "../schemas/pipeline.schema.json",
          "name": "orders-nightly",
          "version": "1",
          "description": "Re-price every open order, per region",
          "iterator": "input.regions",
          "failFast": false,
          "multilaunch": false,
          "runIdFrom": "orders-{input.date}",
          "ttl": "06:00:00",
          "metadata": { "owner": "billing" },
          "tasks": [
            { "name": "extract",  "handler": "http", "config": { "url": "https://example.test/orders" } },
            { "name": "price",    "handler": "echo", "parents": ["extract"],
              "iterator": "parents.extract.output.orders", "maxConcurrency": 50,
              "retry": { "attempts": 3, "delay": "00:00:02", "backoff": 2.0 }, "timeout": "00:05:00" },
            { "name": "load",     "handler": "echo", "parents": ["price"] }
          ]
        }
        """;

    private static readonly Dictionary<string, string> s_valid = new()
    {
        ["design"] = Design,
        ["minimal"] = """{ "name": "hello", "tasks": [ { "name": "say", "handler": "echo" } ] }""",
        ["sequence"] = """
            {
              "name": "steps",
              "tasks": [
                { "name": "a", "handler": "echo", "description": "first" },
                { "name": "b", "handler": "sleep", "config": { "ms": 10 } },
                { "name": "c", "handler": "fail", "config": { "times": 1, "message": "once" }, "retry": { "attempts": 2 } }
              ]
            }
            """,
        ["units-and-nulls"] = """
            {
              "name": "p.1_x-y",
              "version": 2,
              "description": null,
              "iterator": null,
              "ttl": "1.5h",
              "metadata": null,
              "tasks": [
                { "name": "t", "handler": "echo", "timeout": "90s", "parents": null, "config": null, "metadata": { "team": "ops" },
                  "retry": { "attempts": 100, "delay": "500ms", "backoff": 1.5, "maxDelay": "2m" } }
              ]
            }
            """,
        ["repair"] = """
            {
              "name": "repaired",
              "repair": { "timeout": "1.00:00:00" },
              "tasks": [
                { "name": "load", "handler": "echo", "repair": {} },
                { "name": "send", "handler": "echo", "repair": { "timeout": "30m" } }
              ]
            }
            """,
        ["iterator-source"] = """
            {
              "name": "per-file",
              "iterator": { "handler": "files", "config": { "folder": "/in" } },
              "tasks": [
                { "name": "read", "handler": "echo", "iterator": "item.lines" },
                { "name": "each", "handler": "echo", "iterator": { "handler": "files", "config": { "folder": "/out" } } }
              ]
            }
            """,
    };

    private static readonly Dictionary<string, string> s_refused = new()
    {
        ["not-an-object"] = """[ { "name": "a" } ]""",
        ["no-tasks"] = """{ "name": "p" }""",
        ["no-name"] = """{ "tasks": [ { "name": "a", "handler": "echo" } ] }""",
        ["task-without-handler"] = """{ "name": "p", "tasks": [ { "name": "a" } ] }""",
        ["task-not-object"] = """{ "name": "p", "tasks": [ "a" ] }""",
        ["unknown-member"] = """{ "name": "p", "tasks": [ { "name": "b", "handler": "echo", "parent": ["a"] } ] }""",
        ["unknown-pipeline-member"] = """{ "name": "p", "failfast": true, "tasks": [ { "name": "a", "handler": "echo" } ] }""",
        ["bad-duration"] = """{ "name": "p", "ttl": "5 minutes", "tasks": [ { "name": "a", "handler": "echo" } ] }""",
        ["duration-number"] = """{ "name": "p", "tasks": [ { "name": "a", "handler": "echo", "timeout": 30 } ] }""",
        ["retry-string"] = """{ "name": "p", "tasks": [ { "name": "a", "handler": "echo", "retry": "3 times" } ] }""",
        ["retry-unknown-member"] = """{ "name": "p", "tasks": [ { "name": "a", "handler": "echo", "retry": { "attempt": 3 } } ] }""",
        ["attempts-fraction"] = """{ "name": "p", "tasks": [ { "name": "a", "handler": "echo", "retry": { "attempts": 2.5 } } ] }""",
        ["iterator-number"] = """{ "name": "p", "tasks": [ { "name": "a", "handler": "echo", "iterator": 42 } ] }""",
        ["iterator-without-handler"] = """{ "name": "p", "tasks": [ { "name": "a", "handler": "echo", "iterator": { "config": {} } } ] }""",
        ["iterator-unknown-member"] = """{ "name": "p", "iterator": { "handler": "files", "confg": {} }, "tasks": [ { "name": "a", "handler": "echo" } ] }""",
        ["fail-fast-string"] = """{ "name": "p", "failFast": "yes", "tasks": [ { "name": "a", "handler": "echo" } ] }""",
        ["parents-string"] = """{ "name": "p", "tasks": [ { "name": "a", "handler": "echo" }, { "name": "b", "handler": "echo", "parents": "a" } ] }""",
        ["parent-number"] = """{ "name": "p", "tasks": [ { "name": "a", "handler": "echo" }, { "name": "b", "handler": "echo", "parents": [0] } ] }""",
        ["repair-true"] = """{ "name": "p", "tasks": [ { "name": "a", "handler": "echo", "repair": true } ] }""",
        ["repair-unknown-member"] = """{ "name": "p", "repair": { "after": "1h" }, "tasks": [ { "name": "a", "handler": "echo" } ] }""",
        ["config-array"] = """{ "name": "p", "tasks": [ { "name": "a", "handler": "echo", "config": [] } ] }""",
        ["task-description-number"] = """{ "name": "p", "tasks": [ { "name": "a", "handler": "echo", "description": 1 } ] }""",
    };

    public static TheoryData<string> Valid => [.. s_valid.Keys];

    public static TheoryData<string> Refused => [.. s_refused.Keys];

    public static string Get(string name) => s_valid.TryGetValue(name, out var json) ? json : s_refused[name];
}
