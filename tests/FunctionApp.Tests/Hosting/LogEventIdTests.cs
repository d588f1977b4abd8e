using System.Reflection;
using System.Text.RegularExpressions;
using System.Xml.Linq;
using DurablePipelines.TestSupport;

namespace DurablePipelines.FunctionApp.Tests.Hosting;

/// <summary>
/// Every <c>[LoggerMessage]</c> of the product assemblies has an event id of its own, inside its assembly's range in
/// docs/architecture.md ("Log event ids"). The assemblies are read from their projects' own build outputs; this
/// project builds them all (the local host without referencing it).
/// </summary>
public sealed partial class LogEventIdTests
{
    private static readonly string s_buildOutput = typeof(LogEventIdTests).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
        .Single(a => a.Key == "ProductBuildOutput").Value!;

    [Fact]
    public void ProductAssemblies_EveryLogMethod_HasAnIdOfItsOwnInsideItsAssemblysRange()
    {
        var methods = ProductAssemblies().SelectMany(a => LoggerMessageReader.Read(a.Path)).ToList();

        var problems = Problems(methods, Ranges());
        Assert.True(problems.Count == 0, string.Join("\n", problems));
    }

    [Fact]
    public void ProductAssemblies_LogMethods_AreFoundWithTheirIds()
    {
        var methods = ProductAssemblies().SelectMany(a => LoggerMessageReader.Read(a.Path)).ToList();

        Assert.Contains(new LogMethod("DurablePipelines.Durable", "DurablePipelines.Durable.Log.StateChanged", 4000), methods);
        Assert.Contains(new LogMethod("DurablePipelines.FunctionApp", "DurablePipelines.FunctionApp.Log.RunScheduled", 5010), methods);
        Assert.Contains(new LogMethod("DurablePipelines.LocalHost", "DurablePipelines.LocalHost.Serve.Log.Resumed", 2000), methods);
        Assert.Equal(
            ["DurablePipelines.Durable", "DurablePipelines.FunctionApp", "DurablePipelines.LocalHost", "DurablePipelines.Runtime", "DurablePipelines.Storage"],
            methods.Select(m => m.Assembly).Distinct().Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Ranges_EveryProductAssembly_HasOneAndNoTwoOverlap()
    {
        var ranges = Ranges();

        Assert.Equal(ProductAssemblies().Select(a => a.Name).Order(StringComparer.Ordinal), ranges.Keys.Order(StringComparer.Ordinal));
        var taken = ranges.Values.OfType<IdRange>().OrderBy(r => r.From).ToList();
        Assert.All(taken.Zip(taken.Skip(1)), pair => Assert.True(pair.First.To < pair.Second.From, $"{pair.First} overlaps {pair.Second}"));
    }

    [Fact]
    public void Problems_TwoMethodsShareAnId_NamesBoth()
    {
        var ranges = new Dictionary<string, IdRange?> { ["A"] = new(1000, 1999), ["B"] = new(2000, 2999) };

        var problems = Problems([new("A", "A.Log.One", 1000), new("A", "A.Log.Two", 1000), new("B", "B.Log.Three", 2000)], ranges);

        Assert.Equal(["event id 1000 is used by A.Log.One, A.Log.Two"], problems);
    }

    [Fact]
    public void Problems_IdOutsideItsAssemblysRangeOrNone_NamesIt()
    {
        var ranges = new Dictionary<string, IdRange?> { ["A"] = new(1000, 1999), ["B"] = new(2000, 2999), ["C"] = null };

        var problems = Problems([new("A", "A.Log.One", 2001), new("B", "B.Log.Two", 0), new("C", "C.Log.Three", 3000), new("D", "D.Log.Four", 4000)], ranges);

        Assert.Equal(
            [
                "A.Log.One: event id 2001 is outside A's range 1000-1999",
                "B.Log.Two: event id 0 is outside B's range 2000-2999",
                "C.Log.Three: C has no range of event ids in docs/architecture.md",
                "D.Log.Four: D has no range of event ids in docs/architecture.md",
            ],
            problems);
    }

    private static List<string> Problems(IReadOnlyList<LogMethod> methods, IReadOnlyDictionary<string, IdRange?> ranges)
    {
        var problems = new List<string>();
        foreach (var method in methods)
        {
            if (!ranges.TryGetValue(method.Assembly, out var range) || range is null)
            {
                problems.Add($"{method.Name}: {method.Assembly} has no range of event ids in docs/architecture.md");
            }
            else if (method.EventId < range.From || method.EventId > range.To)
            {
                problems.Add($"{method.Name}: event id {method.EventId} is outside {method.Assembly}'s range {range}");
            }
        }

        foreach (var shared in methods.GroupBy(m => m.EventId).Where(g => g.Count() > 1).OrderBy(g => g.Key))
        {
            problems.Add($"event id {shared.Key} is used by {string.Join(", ", shared.Select(m => m.Name).Order(StringComparer.Ordinal))}");
        }

        return problems;
    }

    /// <summary>The table under "Log event ids" in docs/architecture.md: assembly to its range, or null for "none".</summary>
    private static Dictionary<string, IdRange?> Ranges()
    {
        var text = File.ReadAllText(RepositoryFolder.Combine("docs/architecture.md"));
        var start = text.IndexOf("## Log event ids", StringComparison.Ordinal);
        Assert.True(start >= 0, "docs/architecture.md has no \"Log event ids\" section");
        var end = text.IndexOf("\n## ", start + 1, StringComparison.Ordinal);
        var section = end < 0 ? text[start..] : text[start..end];
        return RangeRow().Matches(section).ToDictionary(
            m => m.Groups["assembly"].Value,
            m => m.Groups["from"].Success ? new IdRange(int.Parse(m.Groups["from"].Value, null), int.Parse(m.Groups["to"].Value, null)) : null,
            StringComparer.Ordinal);
    }

    /// <summary>Every project under src/ with its assembly file in its own build output.</summary>
    private static List<(string Name, string Path)> ProductAssemblies()
    {
        var products = new List<(string, string)>();
        foreach (var project in Directory.GetDirectories(RepositoryFolder.Combine("src")).SelectMany(d => Directory.GetFiles(d, "*.csproj")))
        {
            var name = XDocument.Load(project).Descendants("AssemblyName").Single().Value;
            var path = Path.Combine(Path.GetDirectoryName(project)!, s_buildOutput, $"{name}.dll");
            Assert.True(File.Exists(path), $"{path} is missing: build the solution");
            products.Add((name, path));
        }

        return products;
    }

    [GeneratedRegex(@"^\| `(?<assembly>DurablePipelines\.\w+)` \| (?:(?<from>\d+)-(?<to>\d+)|none) \|", RegexOptions.Multiline)]
    private static partial Regex RangeRow();

    private sealed record IdRange(int From, int To)
    {
        public override string ToString() => $"{From}-{To}";
    }
}
