using System.Text.Json.Nodes;
using DurablePipelines.Records;

namespace DurablePipelines.Orchestration;

/// <summary>
/// Output of <see cref="ActivityNames.RunTaskResult"/>. A handler's failure is a value here, not an exception,
/// so orchestration code never has to tell a task's failure from an infrastructure one.
/// </summary>
public sealed record TaskResultOutcome
{
    /// <summary>True when the attempt succeeded.</summary>
    public bool Succeeded { get; init; }

    /// <summary>True when the attempt ran out of time (the handler was abandoned if it ignored its token).</summary>
    public bool TimedOut { get; init; }

    /// <summary>The output, or a payload reference to it.</summary>
    public JsonNode? Output { get; init; }

    /// <summary>Why the attempt failed.</summary>
    public TaskError? Error { get; init; }

    /// <summary>When the handler started.</summary>
    public DateTime StartedAt { get; init; }

    /// <summary>When the handler finished or was abandoned.</summary>
    public DateTime FinishedAt { get; init; }
}
