using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using DurablePipelines.Bench.Harness;
using DurablePipelines.Definitions;
using DurablePipelines.Orchestration;

namespace DurablePipelines.Bench.Scenarios;

/// <summary>
/// Scenario 6: a fixed number of <c>POST /api/pipelines/{name}/runs</c> of a one-task pipeline, 32 in flight, on
/// <c>dp serve</c> over Azurite; accepted (202) starts per second and the errors. The floor is the engine's own start:
/// as many orchestration instances created through DurableTask.Core's client, at the same concurrency, in the host's
/// task hub (its worker runs them as it runs the started runs), in blocks interleaved with the starts' blocks. A start
/// is that plus the HTTP request and the run's claim. The rate in an empty hub with no worker is printed beside it, and
/// a second floor: the host's own scheduler creating runs (no HTTP, claim or pin), through the host's own engine
/// client, in the same blocks, which splits a start's cost into what the engine's create costs in this host and what
/// the start adds to it.
/// </summary>
internal sealed class HttpStartsScenario(BenchSettings settings, ServeInstance serve)
{
    public const string Pipeline = "bench-start";

    public const string Definition = """
        { "name": "bench-start", "tasks": [ { "name": "noop", "handler": "noop" } ] }
        """;

    private const int Concurrency = 32;

    // Starts, and floor creates, per block; the two alternate.
    private const int Block = 2 * Concurrency;

    // How many runs the drain after the starts watches at once.
    private const int DrainReaders = 4;

    // How long the drain after the last block watches the runs (a quick run's few hundred finish well within it).
    private static readonly TimeSpan s_drainLimit = TimeSpan.FromMinutes(5);

    public async Task<IReadOnlyList<BenchResult>> RunAsync()
    {
        var count = settings.Quick ? 200 : 1000;
        var warm = await StartManyAsync(Concurrency);
        await GetManyAsync(Concurrency);
        await serve.WaitForRunsAsync(warm.RunIds, Concurrency);

        Stats.Settle();
        var httpFloor = await GetManyAsync(count);
        // A start waits for one blob write before it creates the instance: the run record's claim, a conditional upload
        // that also carries the run as admitted (the run's pin for a rerun is written while the instance is created).
        var blobFloor = await BlobFloor.ConcurrentUploadsAsync(serve.Storage, count, Concurrency);
        Stats.Settle();
        var floor = await CreateInstanceFloor.MeasureAsync(serve.ConnectionString, SampleRun(), count, Concurrency);
        Stats.Settle();
        // On Azurite every table query reads the whole table (a create queries the hub's Instances table, an episode
        // its History), so the hub slows as it fills: an empty hub's rate is not the rate of the hub the starts go to.
        // The floor creates instances in the host's own hub, its worker running them, in blocks interleaved with the
        // starts' (floor-start, start-floor, ...), so both meet the same hub at the same time.
        var sameHub = CreateInstanceFloor.InHub(serve.ConnectionString, serve.TaskHubName, SampleRun());
        var starts = (RunIds: new List<string>(count), Errors: 0, FirstError: (string?)null);
        var elapsed = 0.0;
        var loaded = 0.0;
        var own = (Seconds: 0.0, RunIds: new List<string>(count));
        for (var block = 0; block * Block < count; block++)
        {
            var size = Math.Min(Block, count - (block * Block));

            // The three kinds take turns at going first, so none always meets the hub the others left behind.
            for (var turn = 0; turn < 3; turn++)
            {
                switch ((block + turn) % 3)
                {
                    case 0:
                        loaded += await sameHub.CreateAsync(size, Concurrency);
                        break;
                    case 1:
                        var watch = Stopwatch.StartNew();
                        var some = await StartManyAsync(size);
                        elapsed += watch.Elapsed.TotalSeconds;
                        starts.RunIds.AddRange(some.RunIds);
                        starts.Errors += some.Errors;
                        starts.FirstError ??= some.FirstError;
                        break;
                    default:
                        // A quarter of a block: each run made here is one more for the hub to hold and drain (with
                        // a full block, 3,000 runs had not drained in 50 minutes).
                        own.Seconds += await ScheduleManyAsync(Math.Max(Concurrency, size / 4), own.RunIds);
                        break;
                }
            }
        }

        // The runs all three made finish in the background, in a hub that slows as it fills: 2,000 took 16 minutes, and
        // 3,000 had not finished after 50. The scenario watches them for at most 5 minutes and counts the finished
        // ones; the host and its Azurite then stop with the rest, which so do not load what follows. A few readers at
        // a time: 32 readers polling 2,000 runs every 100 ms kept Azurite (one core) so busy reading records that the
        // runs themselves barely moved.
        var unavailable = serve.Unavailable;
        sameHub.Track(own.RunIds);
        var drained = await Task.WhenAll(serve.WaitForRunsAsync(starts.RunIds, DrainReaders / 2, s_drainLimit), sameHub.WaitAllAsync(DrainReaders / 2, s_drainLimit));
        unavailable = serve.Unavailable - unavailable;

        var accepted = starts.RunIds.Count;
        var perStart = elapsed / Math.Max(1, accepted) * 1e6;
        var floorPer = loaded / count * 1e6;
        var scenario = $"6 dp serve on the engine, {count:N0} HTTP starts";
        return
        [
            new BenchResult
            {
                Scenario = scenario, Figure = "accepted starts per second", Value = accepted / elapsed, Unit = "/s",
                Floor = count / loaded, FloorName = "engine's create-instance/s, same hub", Ratio = perStart / floorPer,
                Goal = "ratio <= 1.25 (>= 0.8x the create rate)", Met = perStart / floorPer <= 1.25,
                Note = $"{Concurrency} in flight; an accepted start waits for the claim (1 blob write: {count / blobFloor:N0}/s alone), then for the instance's creation and, beside it, the run's pin (another blob write); " +
                    $"the floor creates as many instances in the host's hub, its worker running them, in blocks of {Block} between the starts' blocks; " +
                    $"in an empty hub with no worker {count / floor:N0}/s ({elapsed / floor:F1}x); " +
                    $"HTTP alone (GET /api/pipelines/{{name}}) {count / httpFloor:N0}/s; " +
                    $"within {s_drainLimit.TotalMinutes:F0} min after the last block, {drained[0]:N0} of the {accepted:N0} started runs and {drained[1]:N0} of the {count + own.RunIds.Count:N0} made by the floors had finished (all succeeded), the rest stopped with the host; " +
                    $"{unavailable:N0} of the started runs' status reads were answered 503 and retried",
            },
            new BenchResult
            {
                Scenario = scenario, Figure = "accepted starts per second, beside the host's own create", Value = accepted / elapsed, Unit = "/s",
                Floor = own.RunIds.Count / own.Seconds, FloorName = "the host's scheduler creating the run, no HTTP", Ratio = perStart / (own.Seconds / own.RunIds.Count * 1e6),
                Note = $"the floor is IRunScheduler.ScheduleAsync of dp serve itself: the engine create a start makes, through the host's own engine client (the worker's backend, or its client lane while the worker's request slots are all taken), without the HTTP request, the claim and the pin; {own.RunIds.Count:N0} of them, {Concurrency} at a time, in the same blocks",
            },
            new BenchResult
            {
                Scenario = scenario, Figure = "errors (not 202)", Value = starts.Errors, Unit = string.Empty,
                Goal = "0", Met = starts.Errors == 0, Note = starts.FirstError,
            },
        ];
    }

    /// <summary>What a start of the benchmark pipeline hands the engine.</summary>
    private static RunPipelineInput SampleRun() => new()
    {
        RunId = "floor",
        Definition = new PipelineBuilder(Pipeline).Task("noop", NoOpTask.Name).Build(),
        Input = new JsonObject { ["i"] = 1 },
        Runner = "durable",
        CreatedAt = DateTime.UtcNow,
        Settings = new OrchestrationSettings(),
    };

    /// <summary>Seconds to schedule <paramref name="count"/> runs through the host's own scheduler, 32 at a time.</summary>
    private async Task<double> ScheduleManyAsync(int count, List<string> runIds)
    {
        var ids = Enumerable.Range(0, count).Select(_ => $"own-{Guid.NewGuid():N}").ToArray();
        var watch = Stopwatch.StartNew();
        await Parallel.ForEachAsync(ids, new ParallelOptions { MaxDegreeOfParallelism = Concurrency }, async (id, ct) =>
            await serve.Scheduler.ScheduleAsync(SampleRun() with { RunId = id }, ct));
        var seconds = watch.Elapsed.TotalSeconds;
        runIds.AddRange(ids);
        return seconds;
    }

    private async Task<(List<string> RunIds, int Errors, string? FirstError)> StartManyAsync(int count)
    {
        var runIds = new List<string>(count);
        var errors = 0;
        string? first = null;
        await Parallel.ForEachAsync(Enumerable.Range(0, count), new ParallelOptions { MaxDegreeOfParallelism = Concurrency }, async (i, ct) =>
        {
            try
            {
                using var response = await serve.Http.PostAsJsonAsync(new Uri($"api/pipelines/{Pipeline}/runs", UriKind.Relative), new JsonObject { ["input"] = new JsonObject { ["i"] = i } }, ct);
                var body = await response.Content.ReadAsStringAsync(ct);
                if (response.StatusCode == HttpStatusCode.Accepted)
                {
                    var runId = JsonNode.Parse(body)!["runId"]!.GetValue<string>();
                    lock (runIds)
                    {
                        runIds.Add(runId);
                    }

                    return;
                }

                Interlocked.Increment(ref errors);
                Interlocked.CompareExchange(ref first, $"{(int)response.StatusCode}: {body}", null);
            }
            catch (HttpRequestException ex)
            {
                Interlocked.Increment(ref errors);
                Interlocked.CompareExchange(ref first, ex.Message, null);
            }
        });
        return (runIds, errors, first);
    }

    private async Task<double> GetManyAsync(int count)
    {
        var watch = Stopwatch.StartNew();
        await Parallel.ForEachAsync(Enumerable.Range(0, count), new ParallelOptions { MaxDegreeOfParallelism = Concurrency }, async (_, ct) =>
        {
            using var response = await serve.Http.GetAsync(new Uri($"api/pipelines/{Pipeline}", UriKind.Relative), ct);
            response.EnsureSuccessStatusCode();
            await response.Content.ReadAsByteArrayAsync(ct);
        });
        return watch.Elapsed.TotalSeconds;
    }
}
