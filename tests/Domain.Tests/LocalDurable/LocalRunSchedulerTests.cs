using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using DurablePipelines.Activities;
using DurablePipelines.Definitions;
using DurablePipelines.Handlers;
using DurablePipelines.Hosting;
using DurablePipelines.LocalDurable;
using DurablePipelines.Orchestration;
using DurablePipelines.Records;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace DurablePipelines.Tests.LocalDurable;

public sealed class LocalRunSchedulerTests
{
    /// <summary>Counts executions per idempotency key; blocks item 5 and later until released.</summary>
    private sealed class CountingTask : IPipelineTask
    {
        public ConcurrentDictionary<string, int> Executions { get; } = new();

        public TaskCompletionSource Gate { get; set; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public async Task<JsonNode?> ExecuteAsync(TaskContext context, CancellationToken cancellationToken)
        {
            Executions.AddOrUpdate(context.IdempotencyKey, 1, (_, n) => n + 1);
            if (context.TaskItem!.GetValue<int>() >= 5)
            {
                await Gate.Task.WaitAsync(cancellationToken);
            }

            return context.TaskItem!.DeepClone();
        }
    }

    private static (ServiceProvider Services, CountingTask Counter) Build(int maxActiveRuns = 64)
    {
        var counter = new CountingTask();
        var services = new ServiceCollection().AddLogging().AddDurablePipelines(o =>
        {
            o.MaxParallelism = 2;
            o.MaxActiveRuns = maxActiveRuns;
        });
        services.AddSingleton(counter);
        services.AddPipelineTask<CountingTask>("count");
        return (services.BuildServiceProvider(), counter);
    }

    private static LocalRunScheduler Scheduler(ServiceProvider services, ICheckpointStore checkpoints, IRunStore store) =>
        new(services.GetRequiredService<PipelineActivities>(), checkpoints, store, services.GetRequiredService<IOptions<PipelineOptions>>(), TimeProvider.System, NullLogger<LocalRunScheduler>.Instance);

    [Fact]
    public async Task ResumeAsync_AfterTheHostStopsMidFanOut_ReplaysRecordedResultsAndRunsOnlyTheRest()
    {
        var checkpoints = new InMemoryCheckpointStore();
        var store = new InMemoryRunStore();
        var definition = new PipelineBuilder("resume")
            .Task("each", "count", t => t.ForEach("input.items").MaxConcurrency(2))
            .Task("after", "echo")
            .Build();
        var run = new RunPipelineInput
        {
            RunId = "resume-1",
            Definition = definition,
            Input = new JsonObject { ["items"] = new JsonArray([.. Enumerable.Range(0, 10).Select(i => (JsonNode)i)]) },
            Runner = LocalRunScheduler.Name,
            CreatedAt = DateTime.UtcNow,
        };
        await store.TryCreateAsync(RunRecords.Pending(run), run, default);

        var (first, firstCounter) = Build();
        var scheduler = Scheduler(first, checkpoints, store);
        await scheduler.ScheduleAsync(run, default);
        await Eventually.TrueAsync(() => firstCounter.Executions.Count >= 7, "seven results executed");

        Assert.Equal(7, firstCounter.Executions.Count); // 0..4 done, 5 and 6 blocked in flight
        await scheduler.DisposeAsync();
        var recorded = await checkpoints.LoadAllAsync(run.RunId, default);
        Assert.Equal(5, recorded.Keys.Count(k => k.Contains("/each/", StringComparison.Ordinal)));

        var (second, secondCounter) = Build();
        secondCounter.Gate.SetResult();
        await using var restarted = Scheduler(second, checkpoints, store);
        Assert.Equal(1, await restarted.ResumeAsync(default));
        await restarted.WaitForRunAsync(run.RunId);

        var final = await store.GetAsync(run.RunId, default);
        Assert.Equal(RunStatus.Succeeded, final!.Status);
        Assert.Equal(Enumerable.Range(0, 10), final.PipelineResults[0].TaskExecutions[0].TaskResults.Select(r => r.Output!.GetValue<int>()));
        Assert.Equal(Enumerable.Range(5, 5).Select(i => $"resume-1/0/each/{i}"), secondCounter.Executions.Keys.Order(StringComparer.Ordinal));
        var log = await store.GetLogAsync(run.RunId, default);
        Assert.Single(log, r => r.PipelineResult is null && r.Action == "Started");
        Assert.Single(log, r => r.Task == "each" && r.TaskResult == 0 && r.Action == "Succeeded");
    }

    [Fact]
    public async Task CancelAsync_ActiveRun_EndsTerminatedWithNotStartedResultsCancelled()
    {
        var store = new InMemoryRunStore();
        var (services, counter) = Build();
        await using var scheduler = Scheduler(services, new InMemoryCheckpointStore(), store);
        var run = new RunPipelineInput
        {
            RunId = "cancel-1",
            Definition = new PipelineBuilder("cancel").Task("each", "count", t => t.ForEach("input.items").MaxConcurrency(1)).Build(),
            Input = new JsonObject { ["items"] = new JsonArray(5, 6, 7, 8) },
            Runner = LocalRunScheduler.Name,
            CreatedAt = DateTime.UtcNow,
        };
        await store.TryCreateAsync(RunRecords.Pending(run), run, default);
        await scheduler.ScheduleAsync(run, default);
        await Eventually.TrueAsync(() => !counter.Executions.IsEmpty, "a result executed");

        Assert.True(await scheduler.CancelAsync(run.RunId, default));
        await scheduler.WaitForRunAsync(run.RunId);

        var final = await store.GetAsync(run.RunId, default);
        Assert.Equal(RunStatus.Terminated, final!.Status);
        var results = final.PipelineResults[0].TaskExecutions[0].TaskResults;
        Assert.Equal(RunStatus.Failed, results[0].Status);
        Assert.All(results.Skip(1), r => Assert.Equal(RunStatus.Cancelled, r.Status));
        Assert.False(await scheduler.CancelAsync(run.RunId, default));
    }

    [Fact]
    public async Task DisposeAsync_Twice_SecondDoesNothing()
    {
        // dp serve stops the scheduler when the host stops, then the container disposes it again.
        var (services, _) = Build();
        var scheduler = Scheduler(services, new InMemoryCheckpointStore(), new InMemoryRunStore());
        await scheduler.DisposeAsync();

        var second = await Record.ExceptionAsync(async () => await scheduler.DisposeAsync());

        Assert.Null(second);
    }

    /// <summary>A run of one task over <paramref name="items"/>; items of 5 and more block until the counter's gate opens.</summary>
    private static RunPipelineInput EachRun(string runId, params int[] items) => new()
    {
        RunId = runId,
        Definition = new PipelineBuilder("each").Task("each", "count", t => t.ForEach("input.items")).Build(),
        Input = new JsonObject { ["items"] = new JsonArray([.. items.Select(i => (JsonNode)i)]) },
        Runner = LocalRunScheduler.Name,
        CreatedAt = DateTime.UtcNow,
    };

    private static async Task AdmitAsync(LocalRunScheduler scheduler, InMemoryRunStore store, RunPipelineInput run)
    {
        Assert.True((await store.TryCreateAsync(RunRecords.Pending(run), run, default)).Created);
        await scheduler.ScheduleAsync(run, default);
    }

    [Fact]
    public async Task ScheduleAsync_MoreRunsThanMaxActiveRuns_LaterRunsWaitPendingThenRunInAdmissionOrder()
    {
        var store = new InMemoryRunStore();
        var (services, counter) = Build(maxActiveRuns: 1);
        await using var scheduler = Scheduler(services, new InMemoryCheckpointStore(), store);

        await AdmitAsync(scheduler, store, EachRun("first", 5));
        await AdmitAsync(scheduler, store, EachRun("second", 1));
        await Eventually.TrueAsync(() => counter.Executions.ContainsKey("first/0/each/0"), "first/0/each/0 executed");

        Assert.Equal(1, scheduler.WaitingRuns);
        Assert.Equal(RunStatus.Pending, (await store.GetAsync("second", default))!.Status);
        Assert.DoesNotContain("second/0/each/0", counter.Executions.Keys);

        counter.Gate.SetResult();
        await scheduler.WaitForRunAsync("first");
        await scheduler.WaitForRunAsync("second");
        var (first, second) = ((await store.GetAsync("first", default))!, (await store.GetAsync("second", default))!);
        Assert.Equal(RunStatus.Succeeded, first.Status);
        Assert.Equal(RunStatus.Succeeded, second.Status);
        Assert.True(second.StartedAt >= first.FinishedAt, $"second started {second.StartedAt:O}, first finished {first.FinishedAt:O}");
    }

    [Fact]
    public async Task CancelAsync_RunWaitingForASlot_EndsTerminatedWithoutWaitingOrRunningAnything()
    {
        var store = new InMemoryRunStore();
        var (services, counter) = Build(maxActiveRuns: 1);
        await using var scheduler = Scheduler(services, new InMemoryCheckpointStore(), store);
        await AdmitAsync(scheduler, store, EachRun("blocking", 5));
        await AdmitAsync(scheduler, store, EachRun("waiting", 1, 2));
        await Eventually.TrueAsync(() => counter.Executions.ContainsKey("blocking/0/each/0"), "blocking/0/each/0 executed");

        Assert.True(await scheduler.CancelAsync("waiting", default));
        await scheduler.WaitForRunAsync("waiting").WaitAsync(TimeSpan.FromSeconds(10));

        var cancelled = (await store.GetAsync("waiting", default))!;
        Assert.Equal(RunStatus.Terminated, cancelled.Status);
        Assert.All(cancelled.PipelineResults[0].TaskExecutions, t => Assert.Equal(RunStatus.Cancelled, t.Status));
        Assert.DoesNotContain(counter.Executions.Keys, k => k.StartsWith("waiting/", StringComparison.Ordinal));
        Assert.Contains("blocking", scheduler.ActiveRuns);
        counter.Gate.SetResult();
        await scheduler.WaitForRunAsync("blocking");
        Assert.Equal(RunStatus.Succeeded, (await store.GetAsync("blocking", default))!.Status);
    }

    [Fact]
    public async Task ResumeAsync_HostStoppedWhileARunWaited_StartsItFromTheRunAsAdmitted()
    {
        var checkpoints = new InMemoryCheckpointStore();
        var store = new InMemoryRunStore();
        var (first, firstCounter) = Build(maxActiveRuns: 1);
        var scheduler = Scheduler(first, checkpoints, store);
        await AdmitAsync(scheduler, store, EachRun("blocking", 5));
        await AdmitAsync(scheduler, store, EachRun("waiting", 1, 2));
        await Eventually.TrueAsync(() => firstCounter.Executions.ContainsKey("blocking/0/each/0"), "blocking/0/each/0 executed");

        await scheduler.DisposeAsync();

        // Admission wrote the waiting run only with its record; it never started, so it has no checkpoint.
        Assert.Empty(await checkpoints.LoadAllAsync("waiting", default));
        var (second, secondCounter) = Build(maxActiveRuns: 1);
        secondCounter.Gate.SetResult();
        await using var restarted = Scheduler(second, checkpoints, store);
        Assert.Equal(2, await restarted.ResumeAsync(default));
        await restarted.WaitForRunAsync("blocking");
        await restarted.WaitForRunAsync("waiting");

        var resumed = (await store.GetAsync("waiting", default))!;
        Assert.Equal(RunStatus.Succeeded, resumed.Status);
        Assert.Equal([1, 2], resumed.PipelineResults[0].TaskExecutions[0].TaskResults.Select(r => r.Output!.GetValue<int>()));
        Assert.Contains(LocalRunScheduler.InputKey, (await checkpoints.LoadAllAsync("waiting", default)).Keys);
        Assert.Equal(RunStatus.Succeeded, (await store.GetAsync("blocking", default))!.Status);
    }

    [Fact]
    public async Task ResumeAsync_NeitherInputCheckpointNorRunAsAdmitted_FailsTheRunAndSaysWhy()
    {
        var store = new InMemoryRunStore();
        var run = EachRun("lost", 1);
        await store.TryCreateAsync(RunRecords.Pending(run), admitted: null, default);
        var (services, _) = Build();
        await using var scheduler = Scheduler(services, new InMemoryCheckpointStore(), store);

        Assert.Equal(0, await scheduler.ResumeAsync(default));

        var failed = (await store.GetAsync("lost", default))!;
        Assert.Equal(RunStatus.Failed, failed.Status);
        Assert.Equal("the run could not resume: neither its input checkpoint nor the run as admitted is stored; start it again", failed.Error?.Message);
    }

    [Fact]
    public async Task ResumeAsync_MoreThanAThousandWaitingRuns_ResumesEveryOneInAdmissionOrder()
    {
        // A burst of starts queues runs behind MaxActiveRuns; a restart must pick up all of them, oldest first.
        var store = new InMemoryRunStore();
        var t0 = new DateTime(2025, 3, 1, 12, 0, 0, DateTimeKind.Utc);
        var runs = Enumerable.Range(0, 1005).Select(i => EachRun($"burst-{i:D4}", 1) with { CreatedAt = t0.AddMilliseconds(i) }).ToList();
        foreach (var run in runs.AsEnumerable().Reverse())
        {
            await store.TryCreateAsync(RunRecords.Pending(run), run, default);
        }

        var (services, _) = Build(maxActiveRuns: 1);
        await using var scheduler = Scheduler(services, new InMemoryCheckpointStore(), store);

        Assert.Equal(1005, await scheduler.ResumeAsync(default));
        await Task.WhenAll(runs.Select(r => scheduler.WaitForRunAsync(r.RunId)));

        var records = await Task.WhenAll(runs.Select(r => store.GetAsync(r.RunId, default)));
        Assert.All(records, r => Assert.Equal(RunStatus.Succeeded, r!.Status));
        Assert.Equal(records.Select(r => r!.RunId), records.OrderBy(r => r!.StartedAt).Select(r => r!.RunId));
    }
}
