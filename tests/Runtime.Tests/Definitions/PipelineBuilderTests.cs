using System.Text.Json;
using System.Text.Json.Nodes;
using DurablePipelines.Definitions;
using DurablePipelines.Records;
using DurablePipelines.Tests.Validation;

namespace DurablePipelines.Tests.Definitions;

public class PipelineBuilderTests
{
    [Fact]
    public void Build_DesignExample_IsTheSameModelAsTheJson()
    {
        var built = new PipelineBuilder("orders-nightly")
            .Version("1")
            .Description("Re-price every open order, per region")
            .ForEach("input.regions")
            .FailFast(false)
            .Multilaunch(false)
            .RunIdFrom("orders-{input.date}")
            .Ttl(TimeSpan.FromHours(6))
            .Metadata(new JsonObject { ["owner"] = "billing" })
            .Task("extract", "http", t => t.Config(new JsonObject { ["url"] = "https://example.test/orders" }))
            .Task("price", "echo", t => t
                .After("extract")
                .ForEach("parents.extract.output.orders")
                .MaxConcurrency(50)
                .Retry(3, TimeSpan.FromSeconds(2), 2.0)
                .Timeout(TimeSpan.FromMinutes(5)))
            .Task("load", "echo", t => t.After("price"))
            .Build();

        var read = PipelineDefinitionReader.Read(DefinitionSamples.Design).Definition!;

        Assert.Equal((read.Name, read.Version, read.Description, read.RunIdFrom, read.Ttl), (built.Name, built.Version, built.Description, built.RunIdFrom, built.Ttl));
        Assert.Equal(read.Iterator, built.Iterator);
        Assert.Equal(read.Tasks.Select(t => (t.Name, t.Handler, t.Iterator, t.MaxConcurrency, t.Retry, t.Timeout)), built.Tasks.Select(t => (t.Name, t.Handler, t.Iterator, t.MaxConcurrency, t.Retry, t.Timeout)));
        Assert.Equal(read.Tasks.Select(t => string.Join(",", t.Parents ?? ["<none>"])), built.Tasks.Select(t => string.Join(",", t.Parents ?? ["<none>"])));
        Assert.True(JsonNode.DeepEquals(Serialize(read), Serialize(built)), $"{Serialize(read)}\n{Serialize(built)}");
    }

    [Fact]
    public void Build_IteratorSourcesAndSequence_IsTheSameModelAsTheJson()
    {
        var built = new PipelineBuilder("per-file")
            .ForEachFrom("files", new JsonObject { ["folder"] = "/in" })
            .Task("read", "echo", t => t.ForEach("item.lines"))
            .Task("each", "echo", t => t.ForEachFrom("files", new JsonObject { ["folder"] = "/out" }))
            .Build();

        var read = PipelineDefinitionReader.Read(DefinitionSamples.Get("iterator-source")).Definition!;

        Assert.False(built.IsGraph);
        Assert.Equal(("files", """{"folder":"/in"}"""), (built.Iterator!.Handler, built.Iterator.Config!.ToJsonString()));
        Assert.True(JsonNode.DeepEquals(Serialize(read), Serialize(built)), $"{Serialize(read)}\n{Serialize(built)}");
    }

    [Fact]
    public void After_CalledTwice_KeepsEveryParentInOrder()
    {
        var definition = new PipelineBuilder("p").Task("a", "echo").Task("b", "echo").Task("c", "echo", t => t.After("a").After("b")).Build();

        Assert.Equal(["a", "b"], definition.Tasks[2].Parents!);
        Assert.Null(definition.Tasks[0].Parents);
        Assert.True(definition.IsGraph);
    }

    [Fact]
    public void Build_Defaults_MatchAMinimalJsonDefinition()
    {
        var built = new PipelineBuilder("hello").Task("say", "echo").Build();
        var read = PipelineDefinitionReader.Read(DefinitionSamples.Get("minimal")).Definition!;

        Assert.Equal(("1", false, false, null), (built.Version, built.FailFast, built.Multilaunch, built.Ttl));
        Assert.True(JsonNode.DeepEquals(Serialize(read), Serialize(built)));
        Assert.Empty(TestValidator.Create().Validate(built));
    }

    [Fact]
    public void Build_CalledTwice_GivesIndependentDefinitions()
    {
        var builder = new PipelineBuilder("p").Task("a", "echo");
        var first = builder.Build();

        builder.Task("b", "echo");

        Assert.Single(first.Tasks);
        Assert.Equal(2, builder.Build().Tasks.Count);
    }

    private static JsonNode Serialize(PipelineDefinition definition) =>
        JsonSerializer.SerializeToNode(definition, PipelineJson.Definitions)!;
}
