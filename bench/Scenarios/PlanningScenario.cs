using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using DurablePipelines.Bench.Harness;
using DurablePipelines.Graph;

namespace DurablePipelines.Bench.Scenarios;

/// <summary>
/// Scenario 5: validate (<c>PipelineValidator.Validate</c>) and plan (<c>TaskGraph.Create</c>) a generated DAG of
/// 100,000 tasks and 300,000 edges. It runs in a child process of its own, so the peak working set it reports
/// (the process's high-water mark: runtime, the generated definition and the work) is this scenario's alone.
/// </summary>
internal sealed class PlanningScenario(BenchSettings settings)
{
    public const string ChildArgument = "--plan-child";

    private const int Width = 1000;

    public async Task<IReadOnlyList<BenchResult>> RunAsync()
    {
        var layers = settings.Quick ? 10 : 100;
        var start = new ProcessStartInfo(Environment.ProcessPath!) { RedirectStandardOutput = true };
        if (Path.GetFileNameWithoutExtension(Environment.ProcessPath!) == "dotnet")
        {
            start.ArgumentList.Add(typeof(PlanningScenario).Assembly.Location);
        }

        start.ArgumentList.Add(ChildArgument);
        start.ArgumentList.Add(layers.ToString(CultureInfo.InvariantCulture));
        start.ArgumentList.Add(settings.Repetitions.ToString(CultureInfo.InvariantCulture));
        using var child = Process.Start(start) ?? throw new InvalidOperationException("could not start the planning child process");
        var output = await child.StandardOutput.ReadToEndAsync();
        await child.WaitForExitAsync();
        if (child.ExitCode != 0)
        {
            throw new InvalidOperationException($"the planning child process failed ({child.ExitCode}): {output}");
        }

        var figures = JsonNode.Parse(output)!;
        double Get(string name) => figures[name]!.GetValue<double>();
        var seconds = Get("seconds");
        var peakMb = Get("peakWorkingSetBytes") / 1024 / 1024;
        var scenario = $"5 validate + plan {Get("tasks"):N0} tasks, {Get("edges"):N0} edges";
        return
        [
            new BenchResult
            {
                Scenario = scenario, Figure = "time", Value = seconds * 1000, Unit = "ms", Goal = "< 1,000 ms", Met = seconds < 1,
                Note = $"validate {Get("validateSeconds") * 1000:F0} ms, TaskGraph.Create {Get("planSeconds") * 1000:F0} ms (median of {Get("repetitions")})",
            },
            new BenchResult
            {
                Scenario = scenario, Figure = "peak working set (process)", Value = peakMb, Unit = "MB", Goal = "< 300 MB", Met = peakMb < 300,
                Note = $"before validating: {Get("baselineWorkingSetBytes") / 1024 / 1024:F0} MB (runtime + definition); allocated by one validate + plan: {Get("allocatedBytes") / 1024 / 1024:F0} MB (GC.GetTotalAllocatedBytes)",
            },
        ];
    }

    /// <summary>The child process: prints its figures as JSON on standard output.</summary>
    public static int RunChild(int layers, int repetitions)
    {
        var dag = LayeredDag.Create(layers, Width, parentsPerTask: 3, extraEdges: 3 * Width);
        var definition = dag.ToDefinition("bench-plan", NoOpTask.Name);
        using var engine = new InProcessEngine();
        var validator = engine.Validator;

        // Warm-up on a small DAG, so the figures are not the JIT's.
        var small = LayeredDag.Create(5, 100, 3, 100).ToDefinition("bench-plan-warm", NoOpTask.Name);
        validator.Validate(small);
        TaskGraph.Create(small);

        Stats.Settle();
        using var self = Process.GetCurrentProcess();
        self.Refresh();
        var baseline = self.WorkingSet64;
        var validate = new List<double>();
        var plan = new List<double>();
        var total = new List<double>();
        long allocated = 0;
        for (var i = 0; i < repetitions; i++)
        {
            // A new instance each time: TaskGraph.Create builds a definition instance's graph once and keeps it.
            var fresh = definition with { };
            var before = GC.GetTotalAllocatedBytes(precise: true);
            var watch = Stopwatch.StartNew();
            var errors = validator.Validate(fresh);
            var validated = watch.Elapsed.TotalSeconds;
            var graph = TaskGraph.Create(fresh);
            var elapsed = watch.Elapsed.TotalSeconds;
            allocated = GC.GetTotalAllocatedBytes(precise: true) - before;
            if (errors.Count > 0 || graph.Count != dag.Count)
            {
                throw new InvalidOperationException($"the generated DAG did not validate: {(errors.Count > 0 ? errors[0].Message : "wrong task count")}");
            }

            validate.Add(validated);
            plan.Add(elapsed - validated);
            total.Add(elapsed);
            if (i + 1 < repetitions)
            {
                Stats.Settle();
            }
        }

        self.Refresh();
        Console.WriteLine(JsonSerializer.Serialize(new
        {
            tasks = dag.Count,
            edges = dag.Edges,
            repetitions,
            seconds = Stats.Median(total),
            validateSeconds = Stats.Median(validate),
            planSeconds = Stats.Median(plan),
            allocatedBytes = allocated,
            baselineWorkingSetBytes = baseline,
            peakWorkingSetBytes = self.PeakWorkingSet64,
        }));
        return 0;
    }
}
