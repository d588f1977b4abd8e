using System.CommandLine;
using DurablePipelines.Graph;

namespace DurablePipelines.LocalHost.Commands;

/// <summary><c>dp graph &lt;file|name&gt; [--format mermaid|dot]</c>: prints a pipeline's DAG; an invalid definition exits 2.</summary>
internal static class GraphCommand
{
    private const string Mermaid = "mermaid";
    private const string Dot = "dot";

    public static Command Create(GlobalOptions globals)
    {
        var pipeline = new Argument<string>("pipeline") { Description = "A pipeline definition file, or a pipeline name in the pipelines folder" };
        var format = new Option<string>("--format", "-f")
        {
            Description = "Mermaid flowchart or Graphviz DOT",
            DefaultValueFactory = _ => Mermaid,
        };
        format.AcceptOnlyFromAmong(Mermaid, Dot);
        var command = new Command("graph", "Print a pipeline's graph as Mermaid or DOT") { pipeline, format };
        command.SetAction((parse, _) => CliContext.RunAsync(parse, globals, [], context => ExecuteAsync(context, parse.GetValue(pipeline)!, parse.GetValue(format)!)));
        return command;
    }

    private static async Task<int> ExecuteAsync(CliContext context, string pipeline, string format)
    {
        if (await PipelineLookup.FindAsync(context, pipeline) is not { } definition)
        {
            return ExitCodes.Refused;
        }

        await context.Out.WriteAsync(format == Dot ? GraphRenderer.ToDot(definition) : GraphRenderer.ToMermaid(definition));
        return ExitCodes.Success;
    }
}
