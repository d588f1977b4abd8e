using System.Diagnostics;
using System.Globalization;
using System.Threading.Tasks.Dataflow;
using DurablePipelines.Bench.Harness;

namespace DurablePipelines.Bench.Scenarios;

/// <summary>
/// Scenario 1: a wide DAG in process, <c>layers</c> x 1,000 no-op tasks (one task result each), every task
/// after the first layer with 3 parents in the layer before, on the <c>parallel</c> runner; against the same
/// DAG on a minimal hand-written <c>Task.WhenAll</c> scheduler (the floor) and on TPL Dataflow.
/// </summary>
internal sealed class WideDagScenario(BenchSettings settings)
{
    private const string Scenario = "1 wide DAG, parallel";
    private const int Width = 1000;

    public async Task<IReadOnlyList<BenchResult>> RunAsync()
    {
        var layers = settings.Quick ? 30 : 100;
        var dag = LayeredDag.Create(layers, Width, parentsPerTask: 3, extraEdges: 0);
        var definition = dag.ToDefinition("bench-wide", NoOpTask.Name);
        var children = dag.Children();
        using var engine = new InProcessEngine();
        engine.EnsureValid(definition);

        // Warm-up at full size: JIT tiering, and the GC's budgets, which adapt to what the process allocates. The
        // quick run's smaller DAG needs more runs before tiering settles.
        for (var i = 0; i < (settings.Quick ? 5 : 1); i++)
        {
            await engine.RunAsync("parallel", definition);
        }

        for (var i = 0; i < (settings.Quick ? 5 : 2); i++)
        {
            await WhenAllFloorAsync(dag.Parents);
            await DataflowAsync(dag.Parents, children);
        }

        // Rounds of floor, Dataflow and engine, so a machine that gets busier or quieter affects all three alike.
        string? gc = null;
        using var sampler = AllocationSampler.Enabled ? new AllocationSampler() : null;
        var floors = new List<double>();
        var dataflows = new List<double>();
        var engines = new List<double>();
        for (var round = 0; round < (settings.Quick ? 3 : 5); round++)
        {
            Stats.Settle();
            floors.Add(await WhenAllFloorAsync(dag.Parents));
            Stats.Settle();
            dataflows.Add(await DataflowAsync(dag.Parents, children));
            Stats.Settle();
            sampler?.Reset();
            var watch = Stopwatch.StartNew();
            var gcWatch = new GcWatch();
            var execution = await engine.RunAsync("parallel", definition);
            var elapsed = watch.Elapsed;
            gc = gcWatch.Summary(dag.Count, elapsed);
            var results = execution.PipelineResults.Sum(p => p.TaskExecutions.Sum(t => t.TaskResults.Count));
            engines.Add(results == dag.Count ? elapsed.TotalSeconds : throw new InvalidOperationException($"expected {dag.Count} task results, the record has {results}"));
        }

        var floor = Stats.Median(floors);
        var dataflow = Stats.Median(dataflows);
        var engineTime = Stats.Median(engines);
        if (sampler is not null)
        {
            foreach (var (type, share) in sampler.Top(40))
            {
                Console.Error.WriteLine($"{share,6:P1} {type}");
            }
        }

        var n = (double)dag.Count;
        var perResult = engineTime / n * 1e6;
        var floorPerResult = floor / n * 1e6;
        var size = $"{layers} layers x {Width:N0} = {dag.Count:N0} task results, {dag.Edges:N0} edges";
        return
        [
            new BenchResult
            {
                Scenario = Scenario, Figure = "task results per second", Value = n / engineTime, Unit = "/s",
                Goal = ">= 100,000/s", Met = n / engineTime >= 100_000, Note = size,
            },
            new BenchResult
            {
                Scenario = Scenario, Figure = "time per task result", Value = perResult, Unit = "us",
                Floor = floorPerResult, FloorName = "Task.WhenAll scheduler", Ratio = perResult / floorPerResult,
                Goal = "<= 10x floor", Met = perResult / floorPerResult <= 10,
                Note = $"medians of {engines.Count} rounds; engine {Spread(engines, n)}, floor {Spread(floors, n)}; last engine run: {gc}",
            },
            new BenchResult
            {
                Scenario = "1 wide DAG, TPL Dataflow", Figure = "time per task result", Value = dataflow / n * 1e6, Unit = "us",
                Floor = floorPerResult, FloorName = "Task.WhenAll scheduler", Ratio = dataflow / floor,
                Note = "comparison: one ActionBlock, a node posted when its last parent finishes",
            },
        ];
    }

    private static void NoOp()
    {
    }

    private static string Spread(List<double> seconds, double n) =>
        string.Create(CultureInfo.InvariantCulture, $"{seconds.Min() / n * 1e6:F2}-{seconds.Max() / n * 1e6:F2} us");

    /// <summary>The floor: each node awaits its parents' tasks, then runs the no-op on the thread pool. No records.</summary>
    private static async Task<double> WhenAllFloorAsync(int[][] parents)
    {
        var watch = Stopwatch.StartNew();
        var nodes = new Task[parents.Length];
        for (var i = 0; i < parents.Length; i++)
        {
            nodes[i] = NodeAsync(parents[i], nodes);
        }

        await Task.WhenAll(nodes);
        return watch.Elapsed.TotalSeconds;

        static async Task NodeAsync(int[] parents, Task[] nodes)
        {
            if (parents.Length > 0)
            {
                var waits = new Task[parents.Length];
                for (var p = 0; p < parents.Length; p++)
                {
                    waits[p] = nodes[parents[p]];
                }

                await Task.WhenAll(waits);
            }

            await Task.Run(NoOp);
        }
    }

    /// <summary>TPL Dataflow: one ActionBlock runs nodes; finishing a node posts the children whose last parent it was.</summary>
    private static async Task<double> DataflowAsync(int[][] parents, int[][] children)
    {
        var watch = Stopwatch.StartNew();
        var remaining = parents.Select(p => p.Length).ToArray();
        var done = 0;
        ActionBlock<int>? block = null;
        block = new ActionBlock<int>(
            node =>
            {
                NoOp();
                foreach (var child in children[node])
                {
                    if (Interlocked.Decrement(ref remaining[child]) == 0)
                    {
                        block!.Post(child);
                    }
                }

                if (Interlocked.Increment(ref done) == parents.Length)
                {
                    block!.Complete();
                }
            },
            new ExecutionDataflowBlockOptions { MaxDegreeOfParallelism = Environment.ProcessorCount });
        for (var i = 0; i < parents.Length; i++)
        {
            if (parents[i].Length == 0)
            {
                block.Post(i);
            }
        }

        await block.Completion;
        return watch.Elapsed.TotalSeconds;
    }
}
