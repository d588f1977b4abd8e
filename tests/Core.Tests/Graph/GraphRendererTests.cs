using DurablePipelines.Definitions;
using DurablePipelines.Graph;

namespace DurablePipelines.Tests.Graph;

public class GraphRendererTests
{
    private static readonly PipelineDefinition s_diamond = new PipelineBuilder("orders")
        .Task("extract", "http", t => t.After())
        .Task("price", "echo", t => t.After("extract").ForEach("parents.extract.output.orders"))
        .Task("audit", "echo", t => t.After("extract"))
        .Task("load", "echo", t => t.After("price", "audit"))
        .Build();

    [Fact]
    public void ToMermaid_Diamond_WritesNodesThenEdges()
    {
        const string expected = """
            flowchart TD
                t0["extract (http)"]
                t1["price (echo) for each parents.extract.output.orders"]
                t2["audit (echo)"]
                t3["load (echo)"]
                t0 --> t1
                t0 --> t2
                t1 --> t3
                t2 --> t3

            """;

        Assert.Equal(expected, GraphRenderer.ToMermaid(s_diamond));
    }

    [Fact]
    public void ToDot_Diamond_WritesNodesThenEdges()
    {
        const string expected = """
            digraph "orders" {
                rankdir=TB;
                node [shape=box];
                "extract" [label="extract (http)"];
                "price" [label="price (echo) for each parents.extract.output.orders"];
                "audit" [label="audit (echo)"];
                "load" [label="load (echo)"];
                "extract" -> "price";
                "extract" -> "audit";
                "price" -> "load";
                "audit" -> "load";
            }

            """;

        Assert.Equal(expected, GraphRenderer.ToDot(s_diamond));
    }

    [Fact]
    public void ToMermaid_Sequence_DrawsTheImplicitEdges()
    {
        var definition = new PipelineBuilder("p").Task("a", "echo").Task("b", "sleep").Build();

        Assert.Equal("flowchart TD\n    t0[\"a (echo)\"]\n    t1[\"b (sleep)\"]\n    t0 --> t1\n", GraphRenderer.ToMermaid(definition));
    }

    [Fact]
    public void ToMermaidAndToDot_QuotesAndSources_AreEscapedAndNamed()
    {
        var definition = new PipelineBuilder("say \"hi\"").Task("a\"b", "echo", t => t.ForEachFrom("files")).Build();

        Assert.Equal("flowchart TD\n    t0[\"a#quot;b (echo) for each handler:files\"]\n", GraphRenderer.ToMermaid(definition));
        Assert.Equal(
            "digraph \"say \\\"hi\\\"\" {\n    rankdir=TB;\n    node [shape=box];\n    \"a\\\"b\" [label=\"a\\\"b (echo) for each handler:files\"];\n}\n",
            GraphRenderer.ToDot(definition));
    }
}
