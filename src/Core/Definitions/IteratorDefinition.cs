using System.Text.Json.Nodes;

namespace DurablePipelines.Definitions;

/// <summary>
/// Where an iterator's items come from: a path into the run's data (<c>input.…</c>, <c>item…</c>,
/// <c>parents.&lt;task&gt;.output…</c>), or a handler implementing <c>IIteratorSource</c> for items that need I/O.
/// In JSON, a string is a path and an object <c>{ "handler": …, "config": … }</c> names a source.
/// </summary>
public sealed record IteratorDefinition
{
    /// <summary>A path into the run's data, or null when <see cref="Handler"/> is set.</summary>
    public string? Path { get; init; }

    /// <summary>An iterator source handler, or null when <see cref="Path"/> is set.</summary>
    public string? Handler { get; init; }

    /// <summary>The source handler's configuration.</summary>
    public JsonObject? Config { get; init; }

    /// <summary>An iterator reading a path.</summary>
    public static IteratorDefinition FromPath(string path) => new() { Path = path };

    /// <summary>An iterator calling a source handler.</summary>
    public static IteratorDefinition FromHandler(string handler, JsonObject? config = null) =>
        new() { Handler = handler, Config = config };

    /// <inheritdoc />
    public override string ToString() => Path ?? $"handler:{Handler}";
}
