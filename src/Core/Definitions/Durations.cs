using System.Globalization;

namespace DurablePipelines.Definitions;

/// <summary>Reads durations as the definition format writes them.</summary>
public static class Durations
{
    /// <summary>How a valid duration looks, for error messages.</summary>
    public const string Expected = "use hh:mm:ss, or a number followed by ms, s, m or h";

    /// <summary>
    /// Reads <c>hh:mm:ss</c> (also <c>d.hh:mm:ss</c> and fractions) or a number with a unit:
    /// <c>500ms</c>, <c>30s</c>, <c>5m</c>, <c>2h</c>.
    /// </summary>
    public static bool TryParse(string? text, out TimeSpan value)
    {
        value = default;
        if (string.IsNullOrWhiteSpace(text))
        {
            return false;
        }

        var s = text.Trim();
        if (s.Contains(':', StringComparison.Ordinal))
        {
            if (TimeSpan.TryParseExact(s, "c", CultureInfo.InvariantCulture, out value) && value >= TimeSpan.Zero)
            {
                return true;
            }

            value = default;
            return false;
        }

        // The upper bound also refuses infinity: TimeSpan.FromMilliseconds throws beyond TimeSpan.MaxValue.
        (string unit, double factor)[] units = [("ms", 1), ("s", 1_000), ("m", 60_000), ("h", 3_600_000)];
        foreach (var (unit, factor) in units)
        {
            if (s.EndsWith(unit, StringComparison.Ordinal)
                && double.TryParse(s[..^unit.Length], NumberStyles.Float, CultureInfo.InvariantCulture, out var n)
                && n >= 0 && n * factor < TimeSpan.MaxValue.TotalMilliseconds)
            {
                value = TimeSpan.FromMilliseconds(n * factor);
                return true;
            }
        }

        return false;
    }

    /// <summary>Writes a duration in the canonical <c>hh:mm:ss</c> form.</summary>
    public static string Format(TimeSpan value) => value.ToString("c", CultureInfo.InvariantCulture);
}
