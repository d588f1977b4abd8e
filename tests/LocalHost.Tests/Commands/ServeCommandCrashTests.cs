using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using DurablePipelines.Records;
using DurablePipelines.Storage.Blobs;
using DurablePipelines.Storage.Checkpoints;
using DurablePipelines.Storage.Records;
using DurablePipelines.TestSupport;
using DurablePipelines.TestSupport.Azurite;

namespace DurablePipelines.LocalHost.Tests.Commands;

/// <summary>
/// <c>dp serve</c> killed (SIGKILL) in the middle of a fan-out and started again on the same storage: the run
/// resumes and succeeds, every result recorded before the kill is kept and not run again, and only results
/// that were in flight at the kill run twice (at-least-once). Executions are counted in a file the handler
/// appends each result's idempotency key to.
/// </summary>
[Collection(AzuriteFixture.Collection)]
public sealed class ServeCommandCrashTests(AzuriteFixture azurite) : IDisposable
{
    private const int Items = 40;
    private const int MaxConcurrency = 4;
    private const string RunId = "crash-1";

    private const string Pipeline = """
        {
          "name": "crash-fan",
          "tasks": [
            { "name": "each", "handler": "files.appendLine", "iterator": "input.items", "maxConcurrency": 4,
              "config": { "path": "{input.file}", "text": "{taskItem}", "delayMs": 300 } },
            { "name": "after", "handler": "echo", "parents": ["each"] }
          ]
        }
        """;

    private readonly TempFolder _folder = new();
    private readonly Dictionary<string, string> _storage = new()
    {
        ["Pipelines__Storage__RunsContainer"] = AzuriteFixture.UniqueName("runs"),
        ["Pipelines__Storage__PayloadsContainer"] = AzuriteFixture.UniqueName("payloads"),
        ["Pipelines__Storage__CheckpointsContainer"] = AzuriteFixture.UniqueName("checkpoints"),
        ["Pipelines__Storage__StartQueue"] = AzuriteFixture.UniqueName("starts"),
        ["Pipelines__Storage__PoisonQueue"] = AzuriteFixture.UniqueName("poison"),
        ["Pipelines__Storage__EventQueue"] = AzuriteFixture.UniqueName("events"),
    };

    [Fact]
    public async Task Serve_KilledMidFanOutAndRestarted_RunSucceedsAndRecordedResultsRunExactlyOnce()
    {
        var pipelines = Path.Combine(_folder.Path, "pipelines");
        _folder.Write("pipelines/crash-fan.json", Pipeline);
        var file = Path.Combine(_folder.Path, "executions.txt");
        var input = new JsonObject { ["file"] = file, ["items"] = new JsonArray([.. Enumerable.Range(0, Items).Select(i => (JsonNode)i)]) };

        HashSet<int> loggedBeforeKill;
        await using (var first = await ServeProcess.StartAsync(azurite.ConnectionString, pipelines, _storage))
        {
            using var start = await first.Http.PostAsJsonAsync("api/pipelines/crash-fan/runs", new JsonObject { ["input"] = input, ["runId"] = RunId });
            Assert.True(start.StatusCode == HttpStatusCode.Accepted, await start.Content.ReadAsStringAsync());
            loggedBeforeKill = await WaitForSucceededResultsAsync(first, Items / 2);

            await first.KillAsync();
        }

        var linesAtKill = Keys(file);
        var checkpointed = await CheckpointedResultsAsync();
        var log = await new BlobRunStore(Container("Pipelines__Storage__RunsContainer")).GetLogAsync(RunId, CancellationToken.None);
        var loggedAtKill = Succeeded(log);
        Assert.Superset(loggedBeforeKill, loggedAtKill);
        Assert.Superset(loggedAtKill, checkpointed);
        Assert.True(checkpointed.Count < Items, "the kill came after the fan-out had finished: nothing to resume");
        var inFlight = linesAtKill.Keys.Select(Index).Where(i => !checkpointed.Contains(i)).ToHashSet();
        Assert.True(inFlight.Count <= MaxConcurrency, $"{inFlight.Count} results ran without a checkpoint: {string.Join(", ", inFlight)}");

        PipelineExecution run;
        await using (var second = await ServeProcess.StartAsync(azurite.ConnectionString, pipelines, _storage))
        {
            run = await WaitForFinalAsync(second);
        }

        Assert.Equal(RunStatus.Succeeded, run.Status);
        var executions = Keys(file);
        Assert.Equal(Enumerable.Range(0, Items).Select(Key).Order(StringComparer.Ordinal), executions.Keys.Order(StringComparer.Ordinal));
        Assert.All(checkpointed, i => Assert.True(executions[Key(i)] == 1, $"result {i} was recorded before the kill but ran {executions[Key(i)]} times"));
        var twice = executions.Where(e => e.Value > 1).Select(e => Index(e.Key)).Order().ToList();
        Assert.Equal(inFlight.Order(), twice);
        Assert.All(executions, e => Assert.True(e.Value <= 2, $"{e.Key} ran {e.Value} times"));
        var each = run.PipelineResults[0].TaskExecutions[0].TaskResults;
        Assert.Equal(Enumerable.Range(0, Items), each.Select(r => r.Index));
        Assert.All(each, r => Assert.Equal((Key(r.Index), r.Index.ToString(System.Globalization.CultureInfo.InvariantCulture)), (r.Output!["key"]!.GetValue<string>(), r.Output["text"]!.GetValue<string>())));
        Assert.Equal(Items, run.PipelineResults[0].TaskExecutions[1].TaskResults[0].Output!["parents"]!["each"]!.AsArray().Count);
    }

    public void Dispose() => _folder.Dispose();

    private static string Key(int index) => $"{RunId}/0/each/{index}";

    private static int Index(string key) => int.Parse(key[(key.LastIndexOf('/') + 1)..], System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>Executions per idempotency key, from the lines the handler appended.</summary>
    private static Dictionary<string, int> Keys(string file) =>
        File.Exists(file)
            ? File.ReadAllLines(file).Where(l => l.Length > 0).GroupBy(l => l.Split('\t')[0]).ToDictionary(g => g.Key, g => g.Count())
            : [];

    private static HashSet<int> Succeeded(IEnumerable<StateChange> rows) =>
        [.. rows.Where(r => r.Task == "each" && r.TaskResult is not null && r.Action == "Succeeded").Select(r => r.TaskResult!.Value)];

    private static async Task<HashSet<int>> WaitForSucceededResultsAsync(ServeProcess serve, int count)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        while (true)
        {
            using var response = await serve.Http.GetAsync($"api/runs/{RunId}/log");
            if (response.StatusCode == HttpStatusCode.OK)
            {
                var rows = (await response.Content.ReadFromJsonAsync<JsonObject>())!["rows"].Deserialize<List<StateChange>>(PipelineJson.Options)!;
                var succeeded = Succeeded(rows);
                if (succeeded.Count >= count)
                {
                    return succeeded;
                }
            }

            Assert.True(DateTime.UtcNow < deadline, $"fewer than {count} results succeeded in time:\n{serve.Output}");
            await Task.Delay(25);
        }
    }

    private static async Task<PipelineExecution> WaitForFinalAsync(ServeProcess serve)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        while (true)
        {
            using var response = await serve.Http.GetAsync($"api/runs/{RunId}");
            var run = (await response.Content.ReadFromJsonAsync<PipelineExecution>(PipelineJson.Options))!;
            if (run.Status.IsFinal())
            {
                return run;
            }

            Assert.True(DateTime.UtcNow < deadline, $"the resumed run did not finish in time ({run.Status}):\n{serve.Output}");
            await Task.Delay(100);
        }
    }

    /// <summary>Indexes of the <c>each</c> results whose checkpoint was written.</summary>
    private async Task<HashSet<int>> CheckpointedResultsAsync()
    {
        var store = new BlobCheckpointStore(Container("Pipelines__Storage__CheckpointsContainer"));
        var keys = (await store.LoadAllAsync(RunId, CancellationToken.None)).Keys;
        var prefix = $"{RunId}/0/each/";
        return [.. keys.Where(k => k.StartsWith(prefix, StringComparison.Ordinal) && !k.EndsWith("/iterator", StringComparison.Ordinal))
            .Select(k => int.Parse(k[prefix.Length..k.LastIndexOf('/')], System.Globalization.CultureInfo.InvariantCulture))];
    }

    private Azure.Storage.Blobs.BlobContainerClient Container(string setting) =>
        StorageClients.CreateBlobServiceClient(azurite.ConnectionString).GetBlobContainerClient(_storage[setting]);
}
