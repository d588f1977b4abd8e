using System.Globalization;
using System.Threading.Channels;
using DurablePipelines.Records;

namespace DurablePipelines.LocalHost.Output;

/// <summary>
/// Progress as plain lines, for output that is not a terminal (files, pipes, CI logs): every change of the
/// run, a pipeline result or a task, and every failed, timed-out or retried task result. Successful task
/// results are left out so a large fan-out stays readable.
/// </summary>
internal static class PlainRunLog
{
    /// <summary>Writes a line per reported change until the run's stream completes.</summary>
    public static async Task WriteAsync(TextWriter writer, ChannelReader<object> events)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(events);
        await foreach (var report in events.ReadAllAsync())
        {
            if (report is StateChange change && Shows(change))
            {
                await writer.WriteLineAsync(Line(change));
            }
        }
    }

    /// <summary>True for the changes the plain log shows.</summary>
    public static bool Shows(StateChange change)
    {
        ArgumentNullException.ThrowIfNull(change);
        return change.TaskResult is null || change.Action is not (StateAction.Started or StateAction.Succeeded);
    }

    /// <summary><c>12:00:01.250 [0] price[3] Retrying (attempt 1): boom</c>.</summary>
    public static string Line(StateChange change)
    {
        ArgumentNullException.ThrowIfNull(change);
        var scope = (change.PipelineResult, change.Task, change.TaskResult) switch
        {
            (null, _, _) => $"run {change.RunId}",
            ({ } p, null, _) => change.Item is { } item ? $"[{p}] {RunText.Item(item)}" : $"[{p}]",
            ({ } p, { } task, null) => $"[{p}] {task}",
            ({ } p, { } task, { } r) => $"[{p}] {task}[{r}]",
        };
        var attempt = change.TaskResult is not null && change.Action is (StateAction.Retrying or StateAction.Failed or StateAction.TimedOut or StateAction.WaitingForOperator) && change.Attempt is { } a
            ? string.Create(CultureInfo.InvariantCulture, $" (attempt {a})")
            : string.Empty;
        var by = change.By is { } who ? $" by {who}" : string.Empty;
        var error = change.Error is { } e ? $": {e.Message}" : string.Empty;
        return string.Create(CultureInfo.InvariantCulture, $"{change.Time:HH:mm:ss.fff} {scope} {change.Action}{attempt}{by}{error}");
    }
}
