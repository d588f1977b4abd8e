namespace DurablePipelines.Validation;

/// <summary>One reason a definition or an input is refused, with the JSON path it is about.</summary>
/// <param name="Path">JSON path, such as <c>$.tasks[2].parents[0]</c>.</param>
/// <param name="Code">A stable, machine-readable code, such as <c>unknown-parent</c>.</param>
/// <param name="Message">What is wrong, for people.</param>
public sealed record ValidationError(string Path, string Code, string Message)
{
    /// <inheritdoc />
    public override string ToString() => $"{Path}: {Message}";
}
