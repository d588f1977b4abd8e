using System.Text.Json;
using System.Text.Json.Nodes;
using Azure.Storage.Blobs;
using DurablePipelines.Definitions;
using DurablePipelines.Orchestration;
using DurablePipelines.Records;
using DurablePipelines.Storage.Records;
using DurablePipelines.TestSupport.Azurite;

namespace DurablePipelines.Storage.Tests.Records;

[Collection(AzuriteFixture.Collection)]
public sealed class BlobRunStoreTests(AzuriteFixture azurite)
{
    private static readonly DateTime s_t0 = new(2025, 3, 1, 12, 0, 0, DateTimeKind.Utc);

    private readonly BlobContainerClient _container = azurite.NewContainer("runs");

    private static PipelineExecution Record(string runId, RunStatus status = RunStatus.Running, string pipeline = "orders", int minutes = 0) => new()
    {
        RunId = runId,
        Pipeline = pipeline,
        Runner = "durable",
        Status = status,
        CreatedAt = s_t0.AddMinutes(minutes),
        Input = new JsonObject { ["date"] = "2025-03-01", ["regions"] = new JsonArray("eu", "us") },
        Metadata = new JsonObject { ["owner"] = "billing" },
    };

    [Fact]
    public async Task TryCreateAsync_NewRunId_CreatesRecordThatGetReturns()
    {
        var store = new BlobRunStore(_container);
        var record = Record("run-1") with { Error = new TaskError("System.Exception", "boom") };

        var claim = await store.TryCreateAsync(record, null, default);
        var read = await store.GetAsync("run-1", default);

        Assert.True(claim.Created);
        Assert.Null(claim.Active);
        Assert.NotNull(read);
        Assert.Equal(JsonSerializer.Serialize(record, PipelineJson.Options), JsonSerializer.Serialize(read, PipelineJson.Options));
        Assert.True(await _container.GetBlobClient("run-1/record.json").ExistsAsync());
    }

    [Fact]
    public async Task TryCreateAsync_WithTheRunAsAdmitted_KeepsItInTheSameBlobUntilTheRecordIsSaved()
    {
        var store = new BlobRunStore(_container);
        var record = Record("run-1", RunStatus.Pending);
        var admitted = new RunPipelineInput
        {
            RunId = "run-1",
            Definition = new PipelineBuilder("orders").Task("extract", "echo").Build(),
            Input = record.Input?.DeepClone(),
            Runner = "local",
            CreatedAt = s_t0,
        };

        Assert.True((await store.TryCreateAsync(record, admitted, default)).Created);

        Assert.Equal(["run-1/record.json"], await BlobNamesAsync());
        Assert.Equal(JsonSerializer.Serialize(admitted, PipelineJson.Options), JsonSerializer.Serialize(await store.GetAdmittedAsync("run-1", default), PipelineJson.Options));
        Assert.Equal(JsonSerializer.Serialize(record, PipelineJson.Options), JsonSerializer.Serialize(await store.GetAsync("run-1", default), PipelineJson.Options));
        Assert.Equal("run-1", Assert.Single(await store.ListAsync(new RunQuery(Status: RunStatus.Pending), default)).RunId);

        await store.SaveAsync(record with { Status = RunStatus.Running }, default);

        Assert.Null(await store.GetAdmittedAsync("run-1", default));
        Assert.Null(await store.GetAdmittedAsync("unknown", default));
    }

    [Fact]
    public async Task PinAsync_AfterAWonClaim_KeepsTheRunWithoutItsRerunUntilAClaimReplacesTheRun()
    {
        var store = new BlobRunStore(_container);
        var record = Record("run-1", RunStatus.Pending);
        var admitted = new RunPipelineInput
        {
            RunId = "run-1",
            Definition = new PipelineBuilder("orders").Task("extract", "echo").Build(),
            Input = record.Input?.DeepClone(),
            Runner = "local",
            CreatedAt = s_t0,
            Rerun = new Rerun { SourceRunId = "run-0" },
        };
        Assert.True((await store.TryCreateAsync(record, admitted, default)).Created);
        await store.PinAsync(admitted, default);

        await store.SaveAsync(record with { Status = RunStatus.Failed }, default);

        Assert.Equal(["run-1/pinned.json", "run-1/record.json"], await BlobNamesAsync());
        Assert.Equal(JsonSerializer.Serialize(admitted with { Rerun = null }, PipelineJson.Options), JsonSerializer.Serialize(await store.GetPinnedAsync("run-1", default), PipelineJson.Options));
        Assert.Null(await store.GetPinnedAsync("unknown", default));

        Assert.True((await store.TryCreateAsync(record, admitted, default)).Created);

        Assert.Null(await store.GetPinnedAsync("run-1", default));
        Assert.Equal(["run-1/record.json"], await BlobNamesAsync());
    }

    [Fact]
    public async Task TryCreateAsync_InputAtTheValueDepthLimit_ClaimedAndReadBackAsAdmitted()
    {
        // The deepest input the API accepts (JsonLimits.MaxValueDepth): the admitted run holds it a level deeper.
        JsonNode input = new JsonObject();
        for (var i = 1; i < JsonLimits.MaxValueDepth; i++)
        {
            input = new JsonObject { ["a"] = input };
        }

        var store = new BlobRunStore(_container);
        var record = Record("deep-1", RunStatus.Pending) with { Input = input };
        var admitted = new RunPipelineInput
        {
            RunId = "deep-1",
            Definition = new PipelineBuilder("orders").Task("extract", "echo").Build(),
            Input = input.DeepClone(),
            CreatedAt = s_t0,
        };

        Assert.True((await store.TryCreateAsync(record, admitted, default)).Created);

        Assert.Equal(JsonLimits.MaxValueDepth, JsonLimits.DepthOf((await store.GetAdmittedAsync("deep-1", default))!.Input));
        Assert.Equal(JsonLimits.MaxValueDepth, JsonLimits.DepthOf((await store.GetAsync("deep-1", default))!.Input));
    }

    private async Task<List<string>> BlobNamesAsync()
    {
        var names = new List<string>();
        await foreach (var blob in _container.GetBlobsAsync())
        {
            names.Add(blob.Name);
        }

        return names;
    }

    [Fact]
    public async Task GetAsync_UnknownRunOrMissingContainer_ReturnsNull()
    {
        var store = new BlobRunStore(_container);

        Assert.Null(await store.GetAsync("nope", default));
        Assert.Empty(await store.GetLogAsync("nope", default));
    }

    [Fact]
    public async Task TryCreateAsync_ActiveRun_RefusesWithTheActiveRecord()
    {
        var store = new BlobRunStore(_container);
        await store.TryCreateAsync(Record("run-1") with { Runner = "first" }, null, default);

        var claim = await store.TryCreateAsync(Record("run-1") with { Runner = "second" }, null, default);

        Assert.False(claim.Created);
        Assert.Equal("first", claim.Active?.Runner);
        Assert.Equal("first", (await store.GetAsync("run-1", default))?.Runner);
    }

    [Fact]
    public async Task TryCreateAsync_FinishedRun_ReplacesRecordAndStartsANewLog()
    {
        var store = new BlobRunStore(_container);
        await store.TryCreateAsync(Record("run-1") with { Runner = "first" }, null, default);
        await store.AppendLogAsync("run-1", [Row("run-1", StateAction.Started)], default);
        await store.SaveAsync(Record("run-1", RunStatus.Failed) with { Runner = "first" }, default);

        var claim = await store.TryCreateAsync(Record("run-1", RunStatus.Pending) with { Runner = "second" }, null, default);

        Assert.True(claim.Created);
        Assert.Equal("second", (await store.GetAsync("run-1", default))?.Runner);
        Assert.Empty(await store.GetLogAsync("run-1", default));
    }

    [Fact]
    public async Task TryCreateAsync_FiftyConcurrentClaimsFromSeparateStores_ExactlyOneCreated()
    {
        // Separate clients and stores, as separate processes would have: only blob conditions can arbitrate.
        var stores = Enumerable.Range(0, 50).Select(_ => new BlobRunStore(azurite.Blobs().GetBlobContainerClient(_container.Name))).ToList();
        await _container.CreateIfNotExistsAsync();

        var claims = await Task.WhenAll(stores.Select((s, i) => Task.Run(() => s.TryCreateAsync(Record("same-id") with { Runner = $"claimer-{i}" }, null, default))));

        Assert.Single(claims, c => c.Created);
        var stored = await stores[0].GetAsync("same-id", default);
        Assert.All(claims.Where(c => !c.Created), c => Assert.Equal(stored!.Runner, c.Active?.Runner));
        Assert.Equal(49, claims.Count(c => c.Active is not null));
    }

    [Fact]
    public async Task TryCreateAsync_FiftyConcurrentClaimsOfAFinishedRun_ExactlyOneReplaces()
    {
        var stores = Enumerable.Range(0, 50).Select(_ => new BlobRunStore(azurite.Blobs().GetBlobContainerClient(_container.Name))).ToList();
        await stores[0].SaveAsync(Record("done-id", RunStatus.Succeeded) with { Runner = "old" }, default);

        var claims = await Task.WhenAll(stores.Select((s, i) => Task.Run(() => s.TryCreateAsync(Record("done-id", RunStatus.Pending) with { Runner = $"claimer-{i}" }, null, default))));

        Assert.Single(claims, c => c.Created);
        var stored = await stores[0].GetAsync("done-id", default);
        Assert.StartsWith("claimer-", stored!.Runner, StringComparison.Ordinal);
        Assert.All(claims.Where(c => !c.Created), c => Assert.Equal(stored.Runner, c.Active?.Runner));
    }

    [Fact]
    public async Task SaveAsync_ExistingRecord_OverwritesRecordAndListingMetadata()
    {
        var store = new BlobRunStore(_container);
        await store.TryCreateAsync(Record("run-1"), null, default);

        await store.SaveAsync(Record("run-1", RunStatus.Succeeded) with { FinishedAt = s_t0.AddMinutes(5) }, default);

        var read = await store.GetAsync("run-1", default);
        Assert.Equal(RunStatus.Succeeded, read?.Status);
        Assert.Equal(s_t0.AddMinutes(5), read?.FinishedAt);
        Assert.Single(await store.ListAsync(new RunQuery(Status: RunStatus.Succeeded), default));
        Assert.Empty(await store.ListAsync(new RunQuery(Status: RunStatus.Running), default));
    }

    [Fact]
    public async Task ListAsync_FilterAndTop_NewestFirst()
    {
        var store = new BlobRunStore(_container);
        await store.SaveAsync(Record("a", RunStatus.Succeeded, "orders", minutes: 1), default);
        await store.SaveAsync(Record("b", RunStatus.Failed, "orders", minutes: 2), default);
        await store.SaveAsync(Record("c", RunStatus.Succeeded, "orders", minutes: 3), default);
        await store.SaveAsync(Record("d", RunStatus.Succeeded, "invoices", minutes: 4), default);
        await store.SaveAsync(Record("e", RunStatus.Running, "orders", minutes: 5), default);
        await store.SaveAsync(Record("f", RunStatus.Succeeded, "orders", minutes: 3), default);
        await store.AppendLogAsync("a", [Row("a", StateAction.Started)], default);

        var all = await store.ListAsync(new RunQuery(), default);
        var orders = await store.ListAsync(new RunQuery(Pipeline: "orders"), default);
        var succeededOrders = await store.ListAsync(new RunQuery("orders", RunStatus.Succeeded), default);
        var top2 = await store.ListAsync(new RunQuery(Top: 2), default);

        Assert.Equal(["e", "d", "f", "c", "b", "a"], all.Select(r => r.RunId));
        Assert.Equal(["e", "f", "c", "b", "a"], orders.Select(r => r.RunId));
        Assert.Equal(["f", "c", "a"], succeededOrders.Select(r => r.RunId));
        Assert.Equal(["e", "d"], top2.Select(r => r.RunId));
        Assert.Empty(await store.ListAsync(new RunQuery(Pipeline: "unknown"), default));
    }

    [Fact]
    public async Task ListAsync_RecordWrittenWithoutMetadata_IsReadAndListed()
    {
        var store = new BlobRunStore(_container);
        await store.SaveAsync(Record("with-metadata", minutes: 1), default);
        var bare = Record("bare", RunStatus.Failed, "orders", minutes: 2);
        await _container.GetBlobClient("bare/record.json").UploadAsync(BinaryData.FromObjectAsJson(bare, PipelineJson.Options));

        var failed = await store.ListAsync(new RunQuery(Status: RunStatus.Failed), default);
        var all = await store.ListAsync(new RunQuery(), default);

        Assert.Equal(["bare"], failed.Select(r => r.RunId));
        Assert.Equal(["bare", "with-metadata"], all.Select(r => r.RunId));
    }

    [Fact]
    public async Task Records_AwkwardRunIdsAndPipelineNames_RoundTripAndList()
    {
        var store = new BlobRunStore(_container);
        string[] ids = ["orders/2025-03-01", "a b:c?d#e", "ends.", "..", "ü-日本"];
        for (var i = 0; i < ids.Length; i++)
        {
            Assert.True((await store.TryCreateAsync(Record(ids[i], pipeline: "prix-été", minutes: i), null, default)).Created);
        }

        foreach (var id in ids)
        {
            Assert.Equal(id, (await store.GetAsync(id, default))?.RunId);
        }

        var listed = await store.ListAsync(new RunQuery(Pipeline: "prix-été"), default);
        Assert.Equal(ids.Reverse(), listed.Select(r => r.RunId));
    }

    [Fact]
    public async Task AppendLogAsync_SeveralBatches_GetLogReadsRowsBackInOrder()
    {
        var store = new BlobRunStore(_container);
        await store.AppendLogAsync("run-1", [Row("run-1", StateAction.Started), Row("run-1", StateAction.Started, task: "extract")], default);
        await store.AppendLogAsync("run-1", [], default);
        var failed = Row("run-1", StateAction.Failed, task: "price") with
        {
            PipelineResult = 0,
            TaskResult = 3,
            Attempt = 2,
            Status = RunStatus.Failed,
            Error = new TaskError("System.TimeoutException", "line one\nline two"),
            Item = new JsonObject { ["text"] = "multi\nline" },
        };
        await store.AppendLogAsync("run-1", [failed], default);

        var log = await store.GetLogAsync("run-1", default);

        Assert.Equal([StateAction.Started, StateAction.Started, StateAction.Failed], log.Select(r => r.Action));
        Assert.Equal([null, "extract", "price"], log.Select(r => r.Task));
        Assert.Equal(JsonSerializer.Serialize(failed, PipelineJson.Options), JsonSerializer.Serialize(log[2], PipelineJson.Options));
    }

    [Fact]
    public async Task AppendLogAsync_BatchLargerThanOneAppendBlock_KeepsEveryRowInOrder()
    {
        var store = new BlobRunStore(_container);
        var filler = new string('x', 1000);
        var rows = Enumerable.Range(0, 5000).Select(i => Row("big", StateAction.Succeeded, task: $"t{i}") with { Item = filler }).ToList();

        await store.AppendLogAsync("big", rows, default);
        var log = await store.GetLogAsync("big", default);

        Assert.Equal(rows.Select(r => r.Task), log.Select(r => r.Task));
    }

    private static StateChange Row(string runId, StateAction action, string? task = null) =>
        new() { RunId = runId, Action = action, Task = task, Time = s_t0, Status = RunStatus.Running };
}
