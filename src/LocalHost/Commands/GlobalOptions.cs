using System.CommandLine;
using DurablePipelines.Hosting;

namespace DurablePipelines.LocalHost.Commands;

/// <summary>Options every verb understands; each maps to a configuration key so it overrides settings and environment.</summary>
internal sealed class GlobalOptions
{
    /// <summary><c>--pipelines DIR</c>: <c>Pipelines:Path</c>.</summary>
    public Option<string?> Pipelines { get; } = new("--pipelines")
    {
        Description = "Folder of pipeline definitions (Pipelines:Path, default 'pipelines')",
        HelpName = "DIR",
        Recursive = true,
    };

    /// <summary>Adds the options to the root command.</summary>
    public void AddTo(RootCommand root) => root.Add(Pipelines);

    /// <summary>The configuration keys the parsed options set.</summary>
    public IEnumerable<KeyValuePair<string, string?>> ToSettings(ParseResult parse)
    {
        if (parse.GetValue(Pipelines) is { Length: > 0 } path)
        {
            yield return new($"{PipelineOptions.Section}:{nameof(PipelineOptions.Path)}", path);
        }
    }
}
