using System.Globalization;

namespace DurablePipelines.Bench.Harness;

/// <summary>The command line: <c>[--quick] [--json PATH] [--scenario 1,3]</c>.</summary>
internal sealed record BenchSettings
{
    /// <summary>Reduced sizes, for a smoke check under a minute.</summary>
    public bool Quick { get; init; }

    public string? JsonPath { get; init; }

    /// <summary>Scenario numbers to run; empty runs all of them.</summary>
    public IReadOnlySet<int> Scenarios { get; init; } = new HashSet<int>();

    /// <summary>Measured repetitions of the cheap in-process scenarios (the median is reported).</summary>
    public int Repetitions => Quick ? 1 : 3;

    public bool Runs(int scenario) => Scenarios.Count == 0 || Scenarios.Contains(scenario);

    public static BenchSettings Parse(IReadOnlyList<string> args, out string? error)
    {
        error = null;
        var settings = new BenchSettings();
        for (var i = 0; i < args.Count; i++)
        {
            switch (args[i])
            {
                case "--quick":
                    settings = settings with { Quick = true };
                    break;
                case "--json" when i + 1 < args.Count:
                    settings = settings with { JsonPath = args[++i] };
                    break;
                case "--scenario" when i + 1 < args.Count:
                    var numbers = new HashSet<int>();
                    foreach (var part in args[++i].Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
                    {
                        if (!int.TryParse(part, NumberStyles.None, CultureInfo.InvariantCulture, out var n) || n is < 1 or > 8)
                        {
                            error = $"--scenario takes numbers from 1 to 8, not '{part}'";
                            return settings;
                        }

                        numbers.Add(n);
                    }

                    settings = settings with { Scenarios = numbers };
                    break;
                default:
                    error = $"unknown argument '{args[i]}' (usage: [--quick] [--json PATH] [--scenario 1,2,...])";
                    return settings;
            }
        }

        return settings;
    }
}
