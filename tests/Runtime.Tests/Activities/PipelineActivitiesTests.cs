using System.Text.Json.Nodes;
using DurablePipelines.Activities;
using DurablePipelines.Hosting;
using DurablePipelines.Orchestration;
using Microsoft.Extensions.DependencyInjection;

namespace DurablePipelines.Tests.Activities;

public class PipelineActivitiesTests
{
    private static readonly TaskResultRequest s_echo = new()
    {
        RunId = "run-1",
        Pipeline = "p",
        Task = "a",
        Handler = "echo",
        Context = new JsonObject { ["input"] = new JsonObject { ["n"] = 1 } },
    };

    [Fact]
    public async Task InvokeAsync_TypedAsTheActivitysResult_GivesTheSameOutcomeAsUntyped()
    {
        using var services = new ServiceCollection().AddLogging().AddDurablePipelines().BuildServiceProvider();
        var activities = services.GetRequiredService<PipelineActivities>();

        var typed = await activities.InvokeAsync<TaskResultOutcome>(ActivityNames.RunTaskResult, s_echo, CancellationToken.None);
        var untyped = (TaskResultOutcome)(await activities.InvokeAsync(ActivityNames.RunTaskResult, s_echo, CancellationToken.None))!;

        Assert.True(typed.Succeeded);
        Assert.Equal(untyped.Output!.ToJsonString(), typed.Output!.ToJsonString());
        Assert.Equal(1, typed.Output!["input"]!["n"]!.GetValue<int>());
    }

    [Fact]
    public async Task InvokeAsync_TypedAsAnotherResult_ThrowsNamingBoth()
    {
        using var services = new ServiceCollection().AddLogging().AddDurablePipelines().BuildServiceProvider();
        var activities = services.GetRequiredService<PipelineActivities>();

        var thrown = await Assert.ThrowsAsync<InvalidCastException>(() => activities.InvokeAsync<string>(ActivityNames.RunTaskResult, s_echo, CancellationToken.None));

        Assert.Equal("activity 'RunTaskResult' returns TaskResultOutcome, not String", thrown.Message);
    }
}
