using System.Text.Json;
using System.Text.Json.Nodes;
using DurablePipelines.Definitions;
using DurablePipelines.Graph;
using DurablePipelines.Records;

namespace DurablePipelines.Api;

/// <summary>A definition as the API shows it: the definition itself plus its graph (nodes, edges, Mermaid).</summary>
public static class PipelineDocument
{
    /// <summary><c>{ name, version, description, definition, graph: { nodes, edges, mermaid } }</c>.</summary>
    public static JsonObject Describe(PipelineDefinition definition)
    {
        ArgumentNullException.ThrowIfNull(definition);
        var graph = TaskGraph.Create(definition);
        var nodes = new JsonArray();
        var edges = new JsonArray();
        for (var i = 0; i < graph.Count; i++)
        {
            var task = graph.Tasks[i];
            nodes.Add(new JsonObject
            {
                ["name"] = task.Name,
                ["handler"] = task.Handler,
                ["iterator"] = task.Iterator?.ToString(),
                ["parents"] = new JsonArray([.. graph.Parents[i].Select(p => (JsonNode)graph.Tasks[p].Name)]),
            });
            foreach (var p in graph.Parents[i])
            {
                edges.Add(new JsonObject { ["from"] = graph.Tasks[p].Name, ["to"] = task.Name });
            }
        }

        return new JsonObject
        {
            ["name"] = definition.Name,
            ["version"] = definition.Version,
            ["description"] = definition.Description,
            ["definition"] = JsonSerializer.SerializeToNode(definition, PipelineJson.Definitions),
            ["graph"] = new JsonObject { ["nodes"] = nodes, ["edges"] = edges, ["mermaid"] = GraphRenderer.ToMermaid(definition) },
        };
    }
}
