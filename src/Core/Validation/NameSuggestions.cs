namespace DurablePipelines.Validation;

/// <summary>"Did you mean" hints for misspelt names.</summary>
public static class NameSuggestions
{
    /// <summary>
    /// The closest candidate to <paramref name="name"/> as <c> (did you mean 'x'?)</c>, or an empty string
    /// when none is close. Candidates are tried in ordinal order so the hint is stable.
    /// </summary>
    public static string DidYouMean(string name, IEnumerable<string> candidates)
    {
        string? best = null;
        var bestDistance = int.MaxValue;
        foreach (var candidate in candidates.Order(StringComparer.Ordinal))
        {
            var distance = Distance(name.ToUpperInvariant(), candidate.ToUpperInvariant());
            if (distance < bestDistance)
            {
                best = candidate;
                bestDistance = distance;
            }
        }

        // A hint must share something with the name: 'x' is one edit from 'a', but not a misspelling of it.
        var allowed = Math.Max(1, Math.Min(3, name.Length / 3));
        return best is not null && bestDistance <= allowed && bestDistance < name.Length ? $" (did you mean '{best}'?)" : string.Empty;
    }

    private static int Distance(string a, string b)
    {
        var previous = new int[b.Length + 1];
        var current = new int[b.Length + 1];
        for (var j = 0; j <= b.Length; j++)
        {
            previous[j] = j;
        }

        for (var i = 1; i <= a.Length; i++)
        {
            current[0] = i;
            for (var j = 1; j <= b.Length; j++)
            {
                var cost = a[i - 1] == b[j - 1] ? 0 : 1;
                current[j] = Math.Min(Math.Min(current[j - 1] + 1, previous[j] + 1), previous[j - 1] + cost);
            }

            (previous, current) = (current, previous);
        }

        return previous[b.Length];
    }
}
