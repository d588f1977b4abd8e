using System.Diagnostics;
using System.Text.Json.Nodes;
using DurablePipelines.Bench.Harness;
using DurablePipelines.Definitions;

namespace DurablePipelines.Bench.Scenarios;

/// <summary>
/// Scenario 8: what an execution costs per task result (issue 15). One task with an iterator of no-op results on the
/// <c>parallel</c> runner, once per execution: <c>async</c> (the floor), <c>thread</c> (a thread started per result),
/// and <c>process</c> (a child process per result: this program again, with <c>--dp-task-process</c>), wide (64 at a
/// time) and one at a time, which is the process start cost a result pays.
/// </summary>
internal sealed class ExecutionScenario(BenchSettings settings)
{
    public async Task<IReadOnlyList<BenchResult>> RunAsync()
    {
        var many = settings.Quick ? 500 : 5_000;
        var processes = settings.Quick ? 16 : 64;
        using var engine = new InProcessEngine();
        foreach (var execution in Executions.All.Where(e => e != Executions.Main))
        {
            await engine.RunAsync("parallel", Definition(execution, null), input: Items(execution == Executions.Process ? 4 : 200));
        }

        var asyncUs = await PerResultAsync(engine, Executions.Async, many, null);
        var threadUs = await PerResultAsync(engine, Executions.Thread, many, null);
        var processUs = await PerResultAsync(engine, Executions.Process, processes, null);
        var processSerialUs = await PerResultAsync(engine, Executions.Process, processes / 4, 1);
        var scenario = "8 execution per task result, parallel";
        return
        [
            Row(scenario, $"async, {many:N0} results", asyncUs, asyncUs, "the baseline"),
            Row(scenario, $"thread, {many:N0} results", threadUs, asyncUs, "a dedicated thread started per result"),
            Row(scenario, $"process, {processes:N0} results, 64 at a time", processUs, asyncUs, "a child process per result (this program with --dp-task-process)"),
            Row(scenario, $"process, {processes / 4:N0} results, one at a time", processSerialUs, asyncUs, "the start of a child process, its run and its answer: the cost one result pays"),
        ];
    }

    private static BenchResult Row(string scenario, string figure, double us, double floorUs, string note) => new()
    {
        Scenario = scenario,
        Figure = figure,
        Value = us,
        Unit = "us/result",
        Floor = floorUs,
        FloorName = "async",
        Ratio = us / floorUs,
        Note = note,
    };

    private async Task<double> PerResultAsync(InProcessEngine engine, string execution, int count, int? maxConcurrency)
    {
        var definition = Definition(execution, maxConcurrency);
        var items = Items(count);
        var times = await Stats.RepeatAsync(settings.Repetitions, async () =>
        {
            var watch = Stopwatch.StartNew();
            await engine.RunAsync("parallel", definition, input: items);
            return watch.Elapsed.TotalMicroseconds / count;
        });
        return Stats.Percentile([.. times], 50);
    }

    private static JsonObject Items(int count) => new() { ["items"] = new JsonArray([.. Enumerable.Range(0, count).Select(i => (JsonNode)i)]) };

    private static PipelineDefinition Definition(string execution, int? maxConcurrency) =>
        new PipelineBuilder($"bench-{execution}")
            .Task("each", NoOpTask.Name, t =>
            {
                t.ForEach("input.items").Execution(execution);
                if (maxConcurrency is { } m)
                {
                    t.MaxConcurrency(m);
                }
            })
            .Build();
}
