using DurablePipelines.Orchestration;

namespace DurablePipelines.Hosting;

/// <summary>The <c>Pipelines</c> configuration section (README, Configuration), the same keys on Azure and locally.</summary>
public sealed class PipelineOptions
{
    /// <summary>The configuration section.</summary>
    public const string Section = "Pipelines";

    /// <summary>Folder of pipeline definitions.</summary>
    public string Path { get; set; } = "pipelines";

    /// <summary>Runner for in-process runs: <c>eager</c>, <c>parallel</c> or a registered custom name.</summary>
    public string Runner { get; set; } = "eager";

    /// <summary>The <c>parallel</c> runner's global limit of activities in flight.</summary>
    public int MaxParallelism { get; set; } = 64;

    /// <summary>
    /// Runs the local host executes at once; admitted runs beyond it wait, Pending, in the order they were admitted.
    /// (On Azure, Durable Functions' own <c>maxConcurrentOrchestratorFunctions</c> in host.json plays this part.)
    /// </summary>
    public int MaxActiveRuns { get; set; } = 64;

    /// <summary>
    /// How long <c>dp serve</c> keeps the engine's history of an orchestration that has ended, counted from its
    /// creation; older ones are purged from the task hub (the run's record and log in the run store stay). Zero purges
    /// each at the next sweep. (On Azure, Durable Functions purges nothing by itself.)
    /// </summary>
    public TimeSpan HistoryRetention { get; set; } = TimeSpan.FromDays(1);

    /// <summary>A task iterator with more items than this fans out in sub-orchestrations of this size.</summary>
    public int ChunkSize { get; set; } = OrchestrationSettings.DefaultChunkSize;

    /// <summary>Payloads larger than this many bytes go by reference.</summary>
    public int InlinePayloadLimit { get; set; } = OrchestrationSettings.DefaultInlinePayloadLimit;

    /// <summary>When set, every API route needs this value in the <c>x-functions-key</c> header.</summary>
    public string? ApiKey { get; set; }

    /// <summary>Largest accepted request body, in bytes; larger ones are answered 413.</summary>
    public int MaxRequestBytes { get; set; } = 1024 * 1024;

    /// <summary>The <c>http</c> handler's settings.</summary>
    public HttpTaskOptions Http { get; set; } = new();

    /// <summary>
    /// How the results of tasks execute when neither the task nor its pipeline says (<c>execution</c>): one of
    /// <see cref="Definitions.Executions.All"/>.
    /// </summary>
    public string Execution { get; set; } = Definitions.Executions.Async;

    /// <summary>The <c>Pipelines:TaskProcess</c> section: how the <c>process</c> execution starts its child processes.</summary>
    public TaskProcessOptions TaskProcess { get; set; } = new();

    /// <summary>Every problem with these options.</summary>
    public IEnumerable<string> Validate()
    {
        if (string.IsNullOrWhiteSpace(Path))
        {
            yield return "Pipelines:Path must name a folder";
        }

        if (string.IsNullOrWhiteSpace(Runner))
        {
            yield return "Pipelines:Runner must name a runner";
        }

        if (!Definitions.Executions.All.Contains(Execution))
        {
            yield return $"Pipelines:Execution must be one of {string.Join(", ", Definitions.Executions.All)}, not '{Execution}'";
        }

        if (MaxParallelism < 1)
        {
            yield return "Pipelines:MaxParallelism must be at least 1";
        }

        if (MaxActiveRuns < 1)
        {
            yield return "Pipelines:MaxActiveRuns must be at least 1";
        }

        if (HistoryRetention < TimeSpan.Zero)
        {
            yield return "Pipelines:HistoryRetention must not be negative";
        }

        if (MaxRequestBytes is < 1024 or > Records.JsonLimits.MaxTextBytes)
        {
            yield return $"Pipelines:MaxRequestBytes must be from 1024 to {Records.JsonLimits.MaxTextBytes}";
        }

        foreach (var problem in ToSettings().Validate($"{Section}:"))
        {
            yield return problem;
        }
    }

    /// <summary>The settings the algorithm runs with, from these options.</summary>
    public OrchestrationSettings ToSettings() => new() { ChunkSize = ChunkSize, InlinePayloadLimit = InlinePayloadLimit };
}
