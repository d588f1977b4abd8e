using System.Text.Json.Nodes;
using DurablePipelines.Definitions;
using DurablePipelines.Orchestration;
using DurablePipelines.Records;

namespace DurablePipelines.FunctionApp.Tests.Engine;

/// <summary>
/// The 'process' execution through the Function App's orchestrators and activities on the engine: each attempt in a
/// child process that is the app's own worker assembly (<c>dotnet DurablePipelines.FunctionApp.dll
/// --dp-task-process</c>), mixed with the other executions; a child that ignores its token is killed at the timeout.
/// </summary>
public abstract class ProcessExecutionEngineTests(EngineFixture engine)
{
    [Fact]
    public async Task MixedExecutions_WithProcess_TheRunSucceedsWithEveryOutput()
    {
        var definition = new PipelineBuilder("mixed-process")
            .Task("a", "echo", t => t.ForEach("input.items").Execution(Executions.Process))
            .Task("b", "report.summarize", t => t.After("a").Execution(Executions.Thread))
            .Task("c", "echo", t => t.After("b").Execution(Executions.Main))
            .Build();

        var record = await RunAsync(definition, new JsonObject { ["items"] = new JsonArray(1, 2) });

        Assert.True(record.Status == RunStatus.Succeeded, string.Join("; ", record.PipelineResults.SelectMany(r => r.TaskExecutions).SelectMany(t => t.TaskResults).Select(r => r.Error?.Message)));
        Assert.Equal(2, record.PipelineResults[0].TaskExecutions[0].TaskResults.Count(r => r.Status == RunStatus.Succeeded));
    }

    [Fact]
    public async Task HandlerIgnoringItsToken_TheProcessIsKilledAtTheTimeout()
    {
        var definition = new PipelineBuilder("spin")
            .Task("spin", "sleep", t => t.Config(new JsonObject { ["ms"] = 60_000, ["ignoreCancellation"] = true, ["blocking"] = true })
                .Execution(Executions.Process).Timeout(TimeSpan.FromSeconds(3)))
            .Build();

        var record = await RunAsync(definition, null);

        var result = record.PipelineResults[0].TaskExecutions[0].TaskResults[0];
        Assert.Equal(RunStatus.Failed, result.Status);
        Assert.Matches(@"^timed out after 00:00:03 \(the task process \(pid \d+\) was killed\)$", result.Error!.Message);
    }

    private Task<PipelineExecution> RunAsync(PipelineDefinition definition, JsonNode? input) =>
        engine.Hub.RunAsync(new RunPipelineInput { RunId = $"{definition.Name}-{Guid.NewGuid():N}", Definition = definition, Input = input, Runner = "durable", CreatedAt = DateTime.UtcNow });
}

public sealed class InMemoryProcessExecutionEngineTests(InMemoryEngineFixture engine)
    : ProcessExecutionEngineTests(engine), IClassFixture<InMemoryEngineFixture>;

public sealed class AzureStorageProcessExecutionEngineTests(AzureStorageEngineFixture engine)
    : ProcessExecutionEngineTests(engine), IClassFixture<AzureStorageEngineFixture>;
