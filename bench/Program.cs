using System.Diagnostics;
using System.Globalization;
using DurablePipelines.Bench.Harness;
using DurablePipelines.Bench.Scenarios;

// The benchmarks of issue 5: each scenario prints its figure and the floor measured in the same run.
if (args is [PlanningScenario.ChildArgument, var layers, var repetitions])
{
    return PlanningScenario.RunChild(int.Parse(layers, CultureInfo.InvariantCulture), int.Parse(repetitions, CultureInfo.InvariantCulture));
}

// A task process of scenario 8's 'process' execution: this program again, with the bench's handlers.
if (DurablePipelines.Execution.TaskProcessWorker.IsWorker(args))
{
    await using var services = InProcessEngine.Create();
    return await DurablePipelines.Execution.TaskProcessWorker.RunAsync(Microsoft.Extensions.DependencyInjection.ServiceProviderServiceExtensions.GetRequiredService<DurablePipelines.Handlers.HandlerRegistry>(services));
}

var settings = BenchSettings.Parse(args, out var error);
if (error is not null)
{
    await Console.Error.WriteLineAsync(error);
    return 2;
}

var total = Stopwatch.StartNew();
var results = new List<BenchResult>();

async Task RunAsync(int scenario, string title, Func<Task<IReadOnlyList<BenchResult>>> run)
{
    if (!settings.Runs(scenario))
    {
        return;
    }

    var watch = Stopwatch.StartNew();
    Console.Error.WriteLine($"[{total.Elapsed:mm\\:ss}] scenario {scenario}: {title} ...");
    var rows = await run();
    results.AddRange(rows);
    Console.Error.WriteLine($"[{total.Elapsed:mm\\:ss}] scenario {scenario} took {watch.Elapsed.TotalSeconds:F1} s");
}

await RunAsync(1, "wide DAG in process", () => new WideDagScenario(settings).RunAsync());
await RunAsync(2, "chain in process", () => new ChainScenario(settings).RunAsync());
await RunAsync(8, "execution per task result in process", () => new ExecutionScenario(settings).RunAsync());

// The engine scenarios: DurableTask.AzureStorage over an Azurite of their own each, so one scenario's tables and
// queues do not weigh on the next.
async Task RunOnAzuriteAsync(int scenario, string title, Func<string, Task<IReadOnlyList<BenchResult>>> run)
{
    if (!settings.Runs(scenario))
    {
        return;
    }

    using var azurite = new DurablePipelines.TestSupport.Azurite.AzuriteFixture();
    await azurite.InitializeAsync();
    await RunAsync(scenario, title, () => run(azurite.ConnectionString));
    await azurite.DisposeAsync();
}

await RunOnAzuriteAsync(3, "big iterator on the engine", storage => new EngineIteratorScenario(settings, storage).RunAsync());
await RunOnAzuriteAsync(4, "chain on the engine", storage => new EngineChainScenario(settings, storage).RunAsync());
await RunOnAzuriteAsync(7, "consecutive fan-outs on the engine (stall check)", storage => new EngineStallScenario(settings, storage).RunAsync());

if (settings.Runs(6))
{
    Console.Error.WriteLine($"[{total.Elapsed:mm\\:ss}] starting Azurite and dp serve ...");
    using var azurite = new DurablePipelines.TestSupport.Azurite.AzuriteFixture();
    await azurite.InitializeAsync();
    await using var serve = await ServeInstance.StartAsync(azurite.ConnectionString, new Dictionary<string, string>
    {
        [HttpStartsScenario.Pipeline] = HttpStartsScenario.Definition,
    });
    await RunAsync(6, "HTTP starts on the local host", () => new HttpStartsScenario(settings, serve).RunAsync());
}

await RunAsync(5, "validate and plan a large DAG", () => new PlanningScenario(settings).RunAsync());

results.Sort((a, b) => string.CompareOrdinal(a.Scenario[..1], b.Scenario[..1]));
ResultTable.Print(results);
Console.WriteLine($"{(settings.Quick ? "quick" : "full")} run: {total.Elapsed.TotalSeconds:F0} s on {Environment.ProcessorCount} cores");
if (settings.JsonPath is { } path)
{
    await ResultTable.WriteJsonAsync(path, settings, total.Elapsed, results);
}

return 0;
