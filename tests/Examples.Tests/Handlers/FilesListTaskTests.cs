using System.Text.Json.Nodes;
using DurablePipelines.Definitions;
using DurablePipelines.Examples.Handlers;
using DurablePipelines.Examples.Hosting;
using DurablePipelines.Hosting;
using DurablePipelines.Orchestration;
using DurablePipelines.Records;
using DurablePipelines.Runners;
using DurablePipelines.TestSupport;
using Microsoft.Extensions.DependencyInjection;

namespace DurablePipelines.Examples.Tests.Handlers;

public sealed class FilesListTaskTests : IDisposable
{
    private readonly TempFolder _temp = new();

    public FilesListTaskTests()
    {
        _temp.Write("b.txt", "b");
        _temp.Write("a.json", "{}");
        _temp.Write("sub/c.txt", "c");
        _temp.Write("sub/deeper/d.json", "{}");
    }

    [Fact]
    public async Task ExecuteAsync_Folder_RelativePathsSortedRecursive()
    {
        var output = await new FilesListTask(ExampleOptions.At()).ExecuteAsync(HandlerContext.Create(new JsonObject { ["folder"] = _temp.Path }), CancellationToken.None);

        Assert.Equal(["a.json", "b.txt", "sub/c.txt", "sub/deeper/d.json"], output!.AsArray().Select(n => n!.GetValue<string>()));
    }

    [Fact]
    public async Task GetItemsAsync_PatternAndNotRecursive_Filters()
    {
        var config = new JsonObject { ["folder"] = _temp.Path, ["pattern"] = "*.json", ["recursive"] = false };

        var items = await new FilesListTask(ExampleOptions.At()).GetItemsAsync(HandlerContext.Create(config), CancellationToken.None);

        Assert.Equal(["a.json"], items.Select(n => n!.GetValue<string>()));
    }

    [Fact]
    public async Task GetItemsAsync_FolderFromInput_ReadsTheRun()
    {
        var context = HandlerContext.Create(new JsonObject { ["folder"] = "{input.root}/sub" }, input: new JsonObject { ["root"] = _temp.Path });

        var items = await new FilesListTask(ExampleOptions.At()).GetItemsAsync(context, CancellationToken.None);

        Assert.Equal(["c.txt", "deeper/d.json"], items.Select(n => n!.GetValue<string>()));
    }

    [Fact]
    public async Task ExecuteAsync_MissingFolder_Throws()
    {
        var missing = Path.Combine(_temp.Path, "nope");

        var ex = await Assert.ThrowsAsync<DirectoryNotFoundException>(() => new FilesListTask(ExampleOptions.At()).ExecuteAsync(HandlerContext.Create(new JsonObject { ["folder"] = missing }), CancellationToken.None));

        Assert.Equal($"folder '{missing}' does not exist (resolved to '{missing}')", ex.Message);
    }

    [Fact]
    public async Task ExecuteAsync_RelativeFolder_ResolvesAgainstBaseFolder()
    {
        var output = await new FilesListTask(ExampleOptions.At(_temp.Path)).ExecuteAsync(HandlerContext.Create(new JsonObject { ["folder"] = "sub" }), CancellationToken.None);

        Assert.Equal(["c.txt", "deeper/d.json"], output!.AsArray().Select(n => n!.GetValue<string>()));
    }

    [Fact]
    public async Task ExecuteAsync_RelativeFolderMissing_NamesWhereItLooked()
    {
        var task = new FilesListTask(ExampleOptions.At(_temp.Path));

        var ex = await Assert.ThrowsAsync<DirectoryNotFoundException>(() => task.ExecuteAsync(HandlerContext.Create(new JsonObject { ["folder"] = "nope" }), CancellationToken.None));

        Assert.Equal($"folder 'nope' does not exist (resolved to '{Path.Combine(_temp.Path, "nope")}')", ex.Message);
    }

    [Fact]
    public async Task ExecuteAsync_InputValueMissing_ThrowsNamingThePlaceholder()
    {
        var ex = await Assert.ThrowsAsync<InvalidOperationException>(() => new FilesListTask(ExampleOptions.At()).ExecuteAsync(HandlerContext.Create(new JsonObject { ["folder"] = "{input.folder}" }, input: new JsonObject()), CancellationToken.None));

        Assert.Equal("template '{input.folder}': {input.folder} is missing from the task input or not a plain value", ex.Message);
    }

    [Fact]
    public async Task ExecuteAsync_Cancelled_Throws()
    {
        using var cancel = new CancellationTokenSource();
        await cancel.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => new FilesListTask(ExampleOptions.At()).ExecuteAsync(HandlerContext.Create(new JsonObject { ["folder"] = _temp.Path }), cancel.Token));
    }

    [Fact]
    public void ValidateConfig_Problems_AllReported()
    {
        var errors = new FilesListTask(ExampleOptions.At()).ValidateConfig(new JsonObject { ["pattern"] = "{bad", ["recursve"] = true }).Select(e => $"{e.Path}: {e.Message}").ToList();

        Assert.Equal(
            [
                ".folder: 'folder' is required (a folder path, absolute or relative to the host's base folder: the current directory for dp, the app folder for the Function App)",
                ".recursve: unknown member 'recursve' (did you mean 'recursive'?)",
                ".pattern: 'pattern': unmatched '{' at position 1",
            ],
            errors);
    }

    [Fact]
    public void ValidateConfig_PlaceholderOutsideTaskInput_Refused()
    {
        var error = Assert.Single(new FilesListTask(ExampleOptions.At()).ValidateConfig(new JsonObject { ["folder"] = "{env.HOME}" }));

        Assert.Equal(".folder", error.Path);
        Assert.Equal("'folder': placeholder {env.HOME} must start with one of input, item, taskItem, parents", error.Message);
    }

    [Theory]
    [InlineData("eager")]
    [InlineData("parallel")]
    public async Task AsIteratorSource_InAPipeline_OneResultPerFile(string runner)
    {
        using var services = new ServiceCollection().AddLogging().AddDurablePipelines().AddExamplePipelineTasks().BuildServiceProvider();
        var definition = new PipelineBuilder("sums")
            .Task("checksum", FilesChecksumTask.Name, t => t
                .ForEachFrom(FilesListTask.Name, new JsonObject { ["folder"] = "{input.folder}" })
                .Config(new JsonObject { ["folder"] = "{input.folder}" }))
            .Task("report", ReportSummarizeTask.Name, t => t.After("checksum"))
            .Build();
        Assert.Empty(services.GetRequiredService<Validation.PipelineValidator>().Validate(definition));
        var run = new RunPipelineInput { RunId = "it1", Definition = definition, Input = new JsonObject { ["folder"] = _temp.Path } };

        var execution = await services.GetRequiredService<PipelineRunnerRegistry>().Get(runner).RunAsync(run, NullReporter.Instance, CancellationToken.None);

        Assert.Equal(RunStatus.Succeeded, execution.Status);
        var results = execution.PipelineResults[0].TaskExecutions[0].TaskResults;
        Assert.Equal(["a.json", "b.txt", "sub/c.txt", "sub/deeper/d.json"], results.Select(r => r.Output!["path"]!.GetValue<string>()));
        Assert.Equal(4, execution.PipelineResults[0].TaskExecutions[1].TaskResults[0].Output!["count"]!.GetValue<int>());
    }

    public void Dispose() => _temp.Dispose();
}
