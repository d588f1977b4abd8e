namespace DurablePipelines.Hosting;

/// <summary>
/// The <c>Pipelines:TaskProcess</c> section: the command the <c>process</c> execution runs for each attempt. By default
/// the host's own program (its executable, or <c>dotnet</c> with its entry assembly) with
/// <see cref="Execution.TaskProcessWorker.Argument"/>, which the host's <c>Main</c> hands to
/// <see cref="Execution.TaskProcessWorker"/>.
/// </summary>
public sealed class TaskProcessOptions
{
    /// <summary>The executable; null runs the host's own program.</summary>
    public string? Command { get; set; }

    /// <summary>Arguments before <see cref="Execution.TaskProcessWorker.Argument"/> (such as an assembly for <c>dotnet</c>).</summary>
    public IList<string> Arguments { get; } = [];
}
