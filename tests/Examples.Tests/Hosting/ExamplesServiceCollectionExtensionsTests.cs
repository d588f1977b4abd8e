using System.Text.Json.Nodes;
using DurablePipelines.Examples.Hosting;
using DurablePipelines.Examples.Tests.Handlers;
using DurablePipelines.Handlers;
using DurablePipelines.Hosting;
using DurablePipelines.TestSupport;
using Microsoft.Extensions.DependencyInjection;

namespace DurablePipelines.Examples.Tests.Hosting;

public class ExamplesServiceCollectionExtensionsTests
{
    [Fact]
    public void AddExamplePipelineTasks_EveryExampleHandler_Registered()
    {
        using var services = new ServiceCollection().AddLogging().AddDurablePipelines().AddExamplePipelineTasks().BuildServiceProvider(validateScopes: true);
        var registry = services.GetRequiredService<HandlerRegistry>();

        string[] tasks = ["files.list", "files.checksum", "files.appendLine", "orders.extract", "prices.compute", "report.summarize"];
        Assert.All(tasks, name => Assert.True(registry.IsTask(name), name));
        Assert.All(tasks, name => Assert.NotNull(registry.GetTask(name)));
        Assert.True(registry.IsIteratorSource("files.list"));
    }

    [Fact]
    public async Task AddExamplePipelineTasks_BaseFolderConfigured_FilesHandlersResolveAgainstIt()
    {
        using var temp = new TempFolder();
        temp.Write("data/a.json", "{}");
        using var services = new ServiceCollection().AddLogging().AddDurablePipelines()
            .AddExamplePipelineTasks(o => o.BaseFolder = temp.Path)
            .BuildServiceProvider();
        var registry = services.GetRequiredService<HandlerRegistry>();

        var items = await registry.GetIteratorSource("files.list").GetItemsAsync(HandlerContext.Create(new JsonObject { ["folder"] = "data" }), CancellationToken.None);
        var checksum = await registry.GetTask("files.checksum").ExecuteAsync(HandlerContext.Create(new JsonObject { ["folder"] = "data" }, taskItem: "a.json"), CancellationToken.None);

        Assert.Equal(["a.json"], items.Select(n => n!.GetValue<string>()));
        Assert.Equal(2, checksum!["bytes"]!.GetValue<long>());
    }
}
