using System.Text;
using DurablePipelines.Definitions;

namespace DurablePipelines.Graph;

/// <summary>Writes a pipeline's DAG as Mermaid or Graphviz DOT text.</summary>
public static class GraphRenderer
{
    /// <summary>A Mermaid <c>flowchart</c>; iterated tasks show their iterator.</summary>
    public static string ToMermaid(PipelineDefinition definition)
    {
        var graph = TaskGraph.Create(definition);
        var sb = new StringBuilder("flowchart TD\n");
        for (var i = 0; i < graph.Count; i++)
        {
            sb.Append("    t").Append(i).Append("[\"").Append(Label(graph.Tasks[i]).Replace("\"", "#quot;", StringComparison.Ordinal)).Append("\"]\n");
        }

        for (var i = 0; i < graph.Count; i++)
        {
            foreach (var p in graph.Parents[i])
            {
                sb.Append("    t").Append(p).Append(" --> t").Append(i).Append('\n');
            }
        }

        return sb.ToString();
    }

    /// <summary>A Graphviz <c>digraph</c>.</summary>
    public static string ToDot(PipelineDefinition definition)
    {
        var graph = TaskGraph.Create(definition);
        var sb = new StringBuilder();
        sb.Append("digraph \"").Append(Escape(definition.Name)).Append("\" {\n    rankdir=TB;\n    node [shape=box];\n");
        for (var i = 0; i < graph.Count; i++)
        {
            sb.Append("    \"").Append(Escape(graph.Tasks[i].Name)).Append("\" [label=\"").Append(Escape(Label(graph.Tasks[i]))).Append("\"];\n");
        }

        for (var i = 0; i < graph.Count; i++)
        {
            foreach (var p in graph.Parents[i])
            {
                sb.Append("    \"").Append(Escape(graph.Tasks[p].Name)).Append("\" -> \"").Append(Escape(graph.Tasks[i].Name)).Append("\";\n");
            }
        }

        return sb.Append("}\n").ToString();
    }

    private static string Label(TaskDefinition task) =>
        task.Iterator is null ? $"{task.Name} ({task.Handler})" : $"{task.Name} ({task.Handler}) for each {task.Iterator}";

    private static string Escape(string text) => text.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal);
}
