namespace DurablePipelines.Bench.Harness;

/// <summary>
/// One row of the table: a figure, the floor it is compared with (measured in the same run), their ratio
/// (figure over floor, both as time per item, so 1 is the floor and larger is slower), the goal and whether it is met.
/// </summary>
internal sealed record BenchResult
{
    public required string Scenario { get; init; }

    public required string Figure { get; init; }

    public required double Value { get; init; }

    public required string Unit { get; init; }

    public double? Floor { get; init; }

    public string? FloorName { get; init; }

    public double? Ratio { get; init; }

    public string? Goal { get; init; }

    public bool? Met { get; init; }

    public string? Note { get; init; }
}
