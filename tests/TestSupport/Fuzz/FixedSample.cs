using CsCheck;

namespace DurablePipelines.TestSupport.Fuzz;

/// <summary>
/// Runs a CsCheck generator's cases one after the other from a fixed seed, so that every run of the suite tries
/// the same cases: CsCheck's own <c>Sample</c> uses a given seed for its first iteration only. A failing case is
/// reported with the seed that generates it, so <c>gen.Sample(assert, seed: "…")</c> reproduces and shrinks it.
/// </summary>
public static class FixedSample
{
    /// <summary>Checks <paramref name="count"/> cases of <paramref name="gen"/>, generated from <paramref name="seed"/>.</summary>
    public static async Task RunAsync<T>(Gen<T> gen, string seed, int count, Func<T, Task> check, Func<T, string>? print = null)
    {
        ArgumentNullException.ThrowIfNull(gen);
        ArgumentNullException.ThrowIfNull(check);
        var pcg = PCG.Parse(seed);
        for (var i = 0; i < count; i++)
        {
            var caseSeed = pcg.ToString();
            var value = gen.Generate(pcg, null, out _);
            try
            {
                await check(value);
            }
            catch (Exception ex)
            {
                var shown = print?.Invoke(value) ?? Check.Print(value);
                throw new InvalidOperationException($"case {i} (seed {caseSeed}) failed: {ex.Message}{Environment.NewLine}case: {Shorten(shown)}", ex);
            }
        }
    }

    private static string Shorten(string text) => text.Length <= 2000 ? text : $"{text[..2000]}… ({text.Length} characters)";
}
