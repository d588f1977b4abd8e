using DurablePipelines.Definitions;
using DurablePipelines.Durable.Hosting;
using DurablePipelines.Hosting;
using DurablePipelines.LocalHost.Hosting;
using DurablePipelines.LocalHost.Tests.Serve;
using DurablePipelines.Orchestration;
using DurablePipelines.Records;
using DurableTask.Core;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace DurablePipelines.LocalHost.Tests.Hosting;

/// <summary>
/// A run id used again while the orchestration of its earlier run has not ended yet (its record is final a moment
/// before the orchestration ends), on the engine of <c>dp run --runner durable</c>.
/// </summary>
public sealed class TaskHubCreateTests : IAsyncLifetime
{
    private readonly HeldTask _held = new();
    private ServiceProvider? _services;

    public Task InitializeAsync()
    {
        _services = LocalHostServices.Create(
            new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["Logging:LogLevel:Default"] = "Warning" }).Build(),
            services => services.AddSingleton(_held).AddPipelineTask<HeldTask>(HeldTask.Name));
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        _held.Release();
        await _services!.DisposeAsync();
    }

    /// <summary>
    /// The new run's start waits for the earlier orchestration to end instead of going into it (where the engine
    /// dropped it and the new run never started), then the new run runs.
    /// </summary>
    [Fact]
    public async Task ScheduleAsync_InstanceOfTheRunIdNotEndedYet_WaitsForItToEndThenRunsTheNewRun()
    {
        var hub = await _services!.GetRequiredService<TaskHubHost>().GetAsync();
        var earlier = Run("again-1", new PipelineBuilder("held").Task("wait", HeldTask.Name).Build(), DateTime.UtcNow);
        await hub.ScheduleAsync(earlier);
        await WaitForAsync(hub, "again-1", OrchestrationStatus.Running);

        var later = Run("again-1", new PipelineBuilder("quick").Task("say", "echo").Build(), earlier.CreatedAt.AddSeconds(1));
        var scheduling = hub.ScheduleAsync(later);
        await Task.Delay(500);
        Assert.False(scheduling.IsCompleted, "the start went into an orchestration that had not ended");
        Assert.Equal(OrchestrationStatus.Running, (await hub.GetStateAsync("again-1"))!.Value.Status);

        _held.Release();
        await scheduling.WaitAsync(TimeSpan.FromSeconds(30));
        await WaitForAsync(hub, "again-1", OrchestrationStatus.Completed);

        var saved = await _services!.GetRequiredService<IRunStore>().GetAsync("again-1", CancellationToken.None);
        Assert.Equal("quick", saved!.Pipeline);
        Assert.Equal(RunStatus.Succeeded, saved.Status);
    }

    private static RunPipelineInput Run(string runId, PipelineDefinition definition, DateTime createdAt) => new()
    {
        RunId = runId,
        Definition = definition,
        Runner = "durable",
        CreatedAt = createdAt,
    };

    private static async Task WaitForAsync(TaskHub hub, string runId, OrchestrationStatus status)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while ((await hub.GetStateAsync(runId))?.Status != status)
        {
            Assert.True(DateTime.UtcNow < deadline, $"run {runId} never became {status}");
            await Task.Delay(20);
        }
    }
}
