using DurablePipelines.TestSupport;

namespace DurablePipelines.LocalHost.Tests.Commands;

public class GraphCommandTests
{
    [Fact]
    public async Task Graph_NameInPipelinesFolder_PrintsMermaid()
    {
        var result = await Cli.RunAsync("graph", "hello", "--pipelines", Cli.Pipelines);

        Assert.True(result.Exit == 0, result.ToString());
        Assert.Equal("flowchart TD\n    t0[\"say (echo)\"]\n", result.Out);
        Assert.Empty(result.Error);
    }

    [Fact]
    public async Task Graph_FileAsDot_PrintsEdges()
    {
        var result = await Cli.RunAsync("graph", Path.Combine(Cli.Pipelines, "file-checksums.json"), "--format", "dot");

        Assert.True(result.Exit == 0, result.ToString());
        Assert.StartsWith("digraph \"file-checksums\" {", result.Out, StringComparison.Ordinal);
        Assert.Contains("    \"list\" -> \"checksum\";\n", result.Out, StringComparison.Ordinal);
        Assert.Contains("    \"checksum\" -> \"summarize\";\n", result.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Graph_IteratedTask_ShowsItsIterator()
    {
        var result = await Cli.RunAsync("graph", "regions-nightly", "--pipelines", Cli.Pipelines);

        Assert.Equal(0, result.Exit);
        Assert.Contains("t1[\"price (prices.compute) for each parents.extract.output.orders\"]", result.Out, StringComparison.Ordinal);
        Assert.Contains("t0 --> t1", result.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Graph_CyclicDefinition_ListsErrorsExit2()
    {
        using var temp = new TempFolder();
        var file = temp.Write("cycle.json", """
            { "name": "cycle", "tasks": [
              { "name": "a", "handler": "echo", "parents": ["b"] },
              { "name": "b", "handler": "echo", "parents": ["a"] } ] }
            """);

        var result = await Cli.RunAsync("graph", file);

        Assert.Equal(2, result.Exit);
        Assert.Empty(result.Out);
        Assert.Contains($"{file}: $.tasks[0].parents: cycle: a -> b -> a", result.ErrorLines);
    }

    [Fact]
    public async Task Graph_UnknownName_SuggestsAndListsKnownExit2()
    {
        var result = await Cli.RunAsync("graph", "helo", "--pipelines", Cli.Pipelines);

        Assert.Equal(2, result.Exit);
        Assert.StartsWith($"unknown pipeline 'helo' in '{Cli.Pipelines}' (did you mean 'hello'?) (known: ", result.ErrorLines[0], StringComparison.Ordinal);
        Assert.Contains("file-checksums, hello, regions-nightly, release-approval", result.ErrorLines[0], StringComparison.Ordinal);
    }

    [Fact]
    public async Task Graph_InvalidFileInCatalog_ShowsItsErrorsByName()
    {
        using var temp = new TempFolder();
        var file = temp.Write("bad.json", """{ "name": "bad", "tasks": [ { "name": "a", "handler": "nope" } ] }""");

        var result = await Cli.RunAsync("graph", "bad", "--pipelines", temp.Path);

        Assert.Equal(2, result.Exit);
        Assert.Equal($"{file}: $.tasks[0].handler: unknown handler 'nope'", result.ErrorLines[0]);
    }

    [Fact]
    public async Task Graph_MissingPipelinesFolder_SaysSoExit2()
    {
        var result = await Cli.RunAsync("graph", "hello", "--pipelines", "no-such-folder");

        Assert.Equal(2, result.Exit);
        Assert.Contains("the pipeline folder 'no-such-folder' does not exist", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Graph_UnknownFormat_UsageErrorExit2()
    {
        var result = await Cli.RunAsync("graph", "hello", "--pipelines", Cli.Pipelines, "--format", "svg");

        Assert.Equal(2, result.Exit);
        Assert.Contains("svg", result.Error, StringComparison.Ordinal);
    }
}
