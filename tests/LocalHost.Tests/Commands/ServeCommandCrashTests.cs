using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using DurablePipelines.Records;
using DurablePipelines.TestSupport;
using DurablePipelines.TestSupport.Azurite;

namespace DurablePipelines.LocalHost.Tests.Commands;

/// <summary>
/// <c>dp serve</c> processes on one storage account and task hub, one of them killed (SIGKILL) in the middle of a
/// fan-out: the engine hands the dead host's work to the living (its partition leases expire, its activity messages
/// become visible again), the run succeeds, and only results that were in flight at the kill run twice
/// (at-least-once). Executions are counted in a file the handler appends each result's idempotency key to before it
/// waits, so a result in flight at the kill has its line and runs again.
/// </summary>
[Collection(KilledHostCollection.Name)]
public sealed class ServeCommandCrashTests(AzuriteFixture azurite) : IDisposable
{
    private const int Items = 40;
    private const int MaxConcurrency = 4;

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

    private static readonly TimeSpan s_finishTimeout = TimeSpan.FromSeconds(150);

    private readonly TempFolder _folder = new();
    private readonly Dictionary<string, string> _storage = new()
    {
        ["Pipelines__TaskHub"] = AzuriteFixture.UniqueHubName(),
        ["Pipelines__Storage__RunsContainer"] = AzuriteFixture.UniqueName("runs"),
        ["Pipelines__Storage__PayloadsContainer"] = AzuriteFixture.UniqueName("payloads"),
        ["Pipelines__Storage__StartQueue"] = AzuriteFixture.UniqueName("starts"),
        ["Pipelines__Storage__PoisonQueue"] = AzuriteFixture.UniqueName("poison"),
        ["Pipelines__Storage__EventQueue"] = AzuriteFixture.UniqueName("events"),
    };

    [Fact]
    public async Task Serve_KilledMidFanOutAndRestarted_RunSucceedsAndOnlyResultsInFlightRunTwice()
    {
        const string runId = "crash-1";
        var (pipelines, file, input) = Prepare();
        await using (var first = await ServeProcess.StartAsync(azurite.ConnectionString, pipelines, _storage))
        {
            await StartAsync(first, runId, input);
            await WaitForExecutionsAsync(first, file, Items / 2);
            await first.KillAsync();
        }

        var atKill = Executions(file);
        Assert.True(atKill.Count < Items, "the kill came after the fan-out had finished: nothing to resume");

        await using var second = await ServeProcess.StartAsync(azurite.ConnectionString, pipelines, _storage);
        var run = await WaitForFinalAsync(second, runId);

        AssertRanOnceButInFlight(run, runId, Executions(file));
    }

    [Fact]
    public async Task ThreeHosts_OneKilledMidFanOut_TheOthersFinishItsRunAndEveryHostShowsIt()
    {
        const string runId = "multi-1";
        var (pipelines, file, input) = Prepare();
        await using var first = await ServeProcess.StartAsync(azurite.ConnectionString, pipelines, _storage);
        await using var second = await ServeProcess.StartAsync(azurite.ConnectionString, pipelines, _storage);
        await using var third = await ServeProcess.StartAsync(azurite.ConnectionString, pipelines, _storage);

        // Started on the first host, whichever host holds its partition; killed once a third of the items ran.
        await StartAsync(first, runId, input);
        await WaitForExecutionsAsync(first, file, Items / 3);
        await first.KillAsync();
        Assert.True(Executions(file).Count < Items, "the kill came after the fan-out had finished");

        var run = await WaitForFinalAsync(second, runId);
        AssertRanOnceButInFlight(run, runId, Executions(file));
        foreach (var host in new[] { second, third })
        {
            using var response = await host.Http.GetAsync($"api/runs/{runId}");
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            var seen = await response.Content.ReadFromJsonAsync<PipelineExecution>(PipelineJson.Options);
            Assert.Equal(RunStatus.Succeeded, seen!.Status);
        }
    }

    public void Dispose() => _folder.Dispose();

    private (string Pipelines, string File, JsonObject Input) Prepare()
    {
        _folder.Write("pipelines/crash-fan.json", Pipeline);
        var file = Path.Combine(_folder.Path, "executions.txt");
        var input = new JsonObject { ["file"] = file, ["items"] = new JsonArray([.. Enumerable.Range(0, Items).Select(i => (JsonNode)i)]) };
        return (Path.Combine(_folder.Path, "pipelines"), file, input);
    }

    private static async Task StartAsync(ServeProcess host, string runId, JsonObject input)
    {
        using var start = await host.Http.PostAsJsonAsync("api/pipelines/crash-fan/runs", new JsonObject { ["input"] = input.DeepClone(), ["runId"] = runId });
        Assert.True(start.StatusCode == HttpStatusCode.Accepted, await start.Content.ReadAsStringAsync());
    }

    /// <summary>
    /// Every result ran and is recorded with its own output; a result ran twice only if it was in flight at the kill,
    /// and at most <see cref="MaxConcurrency"/> were.
    /// </summary>
    private static void AssertRanOnceButInFlight(PipelineExecution run, string runId, Dictionary<string, int> executions)
    {
        Assert.Equal(RunStatus.Succeeded, run.Status);
        Assert.Equal(Enumerable.Range(0, Items).Select(i => Key(runId, i)).Order(StringComparer.Ordinal), executions.Keys.Order(StringComparer.Ordinal));
        var twice = executions.Where(e => e.Value > 1).Select(e => e.Key).ToList();
        Assert.True(twice.Count <= MaxConcurrency, $"{twice.Count} results ran twice, more than the {MaxConcurrency} that can be in flight: {string.Join(", ", twice)}");
        Assert.All(executions, e => Assert.True(e.Value <= 2, $"{e.Key} ran {e.Value} times"));
        var each = run.PipelineResults[0].TaskExecutions[0].TaskResults;
        Assert.Equal(Enumerable.Range(0, Items), each.Select(r => r.Index));
        Assert.All(each, r => Assert.Equal(Key(runId, r.Index), r.Output!["key"]!.GetValue<string>()));
        Assert.Equal(Items, run.PipelineResults[0].TaskExecutions[1].TaskResults[0].Output!["parents"]!["each"]!.AsArray().Count);
    }

    private static string Key(string runId, int index) => $"{runId}/0/each/{index}";

    /// <summary>Executions per idempotency key, from the lines the handler appended.</summary>
    private static Dictionary<string, int> Executions(string file) =>
        File.Exists(file)
            ? File.ReadAllLines(file).Where(l => l.Length > 0).GroupBy(l => l.Split('\t')[0]).ToDictionary(g => g.Key, g => g.Count())
            : [];

    private static async Task WaitForExecutionsAsync(ServeProcess host, string file, int count)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        while (Executions(file).Count < count)
        {
            Assert.True(DateTime.UtcNow < deadline, $"fewer than {count} results ran in time:\n{host.Output}");
            await Task.Delay(25);
        }
    }

    private static async Task<PipelineExecution> WaitForFinalAsync(ServeProcess host, string runId)
    {
        var deadline = DateTime.UtcNow + s_finishTimeout;
        while (true)
        {
            using var response = await host.Http.GetAsync($"api/runs/{runId}");
            var run = (await response.Content.ReadFromJsonAsync<PipelineExecution>(PipelineJson.Options))!;
            if (run.Status.IsFinal())
            {
                return run;
            }

            Assert.True(DateTime.UtcNow < deadline, $"the run did not finish in time ({run.Status}):\n{host.Output}");
            await Task.Delay(200);
        }
    }
}
