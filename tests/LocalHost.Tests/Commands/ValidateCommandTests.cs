using DurablePipelines.TestSupport;

namespace DurablePipelines.LocalHost.Tests.Commands;

public class ValidateCommandTests
{
    private const string Broken = """
        {
          "name": "broken",
          "tasks": [
            { "name": "extract", "handler": "echo" },
            { "name": "load", "handler": "ecko", "parents": ["extrct"] }
          ]
        }
        """;

    [Fact]
    public async Task Validate_ExampleFolder_EveryFileValidExit0()
    {
        var files = Directory.GetFiles(Cli.Pipelines, "*.json").Order(StringComparer.Ordinal).ToList();

        var result = await Cli.RunAsync("validate", Cli.Pipelines);

        Assert.True(result.Exit == 0, result.ToString());
        Assert.Contains(Path.Combine(Cli.Pipelines, "regions-nightly.json"), files);
        Assert.Equal([.. files.Select(f => $"{f}: valid"), $"{files.Count} of {files.Count} valid"], result.OutLines);
    }

    [Fact]
    public async Task Validate_InvalidFile_ListsEveryErrorWithFileAndPathExit2()
    {
        using var temp = new TempFolder();
        var file = temp.Write("broken.json", Broken);

        var result = await Cli.RunAsync("validate", file);

        Assert.Equal(2, result.Exit);
        Assert.Contains($"{file}: $.tasks[1].handler: unknown handler 'ecko' (did you mean 'echo'?)", result.OutLines);
        Assert.Contains($"{file}: $.tasks[1].parents[0]: unknown task 'extrct' (did you mean 'extract'?)", result.OutLines);
        Assert.Equal("0 of 1 valid", result.OutLines[^1]);
    }

    [Fact]
    public async Task Validate_FolderWithOneBadFile_CountsBothExit2()
    {
        using var temp = new TempFolder();
        temp.Write("a-broken.json", Broken);
        var good = temp.Write("b-hello.json", File.ReadAllText(Path.Combine(Cli.Pipelines, "hello.json")));

        var result = await Cli.RunAsync("validate", temp.Path);

        Assert.Equal(2, result.Exit);
        Assert.Contains($"{good}: valid", result.OutLines);
        Assert.Equal("1 of 2 valid", result.OutLines[^1]);
    }

    [Fact]
    public async Task Validate_NotJson_ReportsSyntaxErrorExit2()
    {
        using var temp = new TempFolder();
        var file = temp.Write("bad.json", "{ \"name\": ");

        var result = await Cli.RunAsync("validate", file);

        Assert.Equal(2, result.Exit);
        Assert.StartsWith($"{file}: $: not valid JSON", result.OutLines[0], StringComparison.Ordinal);
    }

    [Fact]
    public async Task Validate_SameNameInTwoFiles_SecondIsDuplicateExit2()
    {
        using var temp = new TempFolder();
        var hello = File.ReadAllText(Path.Combine(Cli.Pipelines, "hello.json"));
        var first = temp.Write("a.json", hello);
        var second = temp.Write("b.json", hello);

        var result = await Cli.RunAsync("validate", temp.Path);

        Assert.Equal(2, result.Exit);
        Assert.Contains($"{second}: $.name: pipeline 'hello' is already defined by {first}", result.OutLines);
    }

    [Fact]
    public async Task Validate_MissingFile_Exit2()
    {
        var result = await Cli.RunAsync("validate", "no/such/pipeline.json");

        Assert.Equal(2, result.Exit);
        Assert.Equal("no/such/pipeline.json: no such file or folder", result.OutLines[0]);
    }

    [Fact]
    public async Task Validate_EmptyFolder_Exit2()
    {
        using var temp = new TempFolder();

        var result = await Cli.RunAsync("validate", temp.Path);

        Assert.Equal(2, result.Exit);
        Assert.Contains("no *.json files", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Validate_NoArgument_UsageErrorExit2()
    {
        var result = await Cli.RunAsync("validate");

        Assert.Equal(2, result.Exit);
    }
}
