using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using DurablePipelines.Records;

namespace DurablePipelines.LocalHost.Output;

/// <summary>How run records read in a terminal and in plain text: durations, labels, counts, first errors.</summary>
internal static class RunText
{
    private const int MaxItemLength = 40;

    /// <summary><c>0.25s</c>, <c>3m07s</c>, <c>2h05m</c>, or <c>-</c> when it did not run.</summary>
    public static string Duration(DateTime? start, DateTime? end) =>
        start is { } s && end is { } e ? Duration(e - s) : "-";

    /// <summary><c>0.25s</c>, <c>3m07s</c> or <c>2h05m</c>.</summary>
    public static string Duration(TimeSpan span) => span switch
    {
        { TotalMinutes: < 1 } => string.Create(CultureInfo.InvariantCulture, $"{Math.Max(0, span.TotalSeconds):0.00}s"),
        { TotalHours: < 1 } => string.Create(CultureInfo.InvariantCulture, $"{(int)span.TotalMinutes}m{span.Seconds:00}s"),
        _ => string.Create(CultureInfo.InvariantCulture, $"{(int)span.TotalHours}h{span.Minutes:00}m"),
    };

    /// <summary><c>[0]</c>, or <c>[2] eu</c> for a pipeline-iterator item.</summary>
    public static string Label(PipelineResult result) =>
        result.Item is null ? $"[{result.Index}]" : $"[{result.Index}] {Item(result.Item)}";

    /// <summary>An item as people read it: a string without quotes, anything else as short JSON.</summary>
    public static string Item(JsonNode item)
    {
        ArgumentNullException.ThrowIfNull(item);
        var text = item is JsonValue v && v.GetValueKind() == JsonValueKind.String ? v.GetValue<string>() : item.ToJsonString();
        return text.Length <= MaxItemLength ? text : string.Concat(text.AsSpan(0, MaxItemLength - 1), "…");
    }

    /// <summary>Task results that succeeded, failed and were cancelled.</summary>
    public static (int Succeeded, int Failed, int Cancelled) Counts(TaskExecution task)
    {
        ArgumentNullException.ThrowIfNull(task);
        return (
            task.TaskResults.Count(r => r.Status == RunStatus.Succeeded),
            task.TaskResults.Count(r => r.Status == RunStatus.Failed),
            task.TaskResults.Count(r => r.Status is RunStatus.Cancelled or RunStatus.Terminated));
    }

    /// <summary>The error that explains the task's status best: its own, a failed result's, then any result's.</summary>
    public static string? FirstError(TaskExecution task)
    {
        ArgumentNullException.ThrowIfNull(task);
        var error = task.Error
            ?? task.TaskResults.FirstOrDefault(r => r.Status == RunStatus.Failed && r.Error is not null)?.Error
            ?? task.TaskResults.FirstOrDefault(r => r.Error is not null)?.Error;
        return error?.Message;
    }

    /// <summary>The Spectre colour of a status.</summary>
    public static string Color(RunStatus status) => status switch
    {
        RunStatus.Succeeded => "green",
        RunStatus.Failed => "red",
        RunStatus.Cancelled or RunStatus.Terminated => "yellow",
        RunStatus.Running => "blue",
        _ => "grey",
    };
}
