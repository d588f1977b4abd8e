using System.Globalization;
using DurablePipelines.Records;
using Spectre.Console;
using Spectre.Console.Rendering;

namespace DurablePipelines.LocalHost.Output;

/// <summary>
/// The end of a run, per pipeline result and task: status, task results succeeded/failed/cancelled,
/// duration and the first error. As a table in a terminal, as aligned lines elsewhere.
/// </summary>
internal static class RunSummary
{
    /// <summary><c>run r1: Succeeded in 0.05s (pipeline hello v1, runner eager)</c>.</summary>
    public static string Headline(PipelineExecution execution)
    {
        ArgumentNullException.ThrowIfNull(execution);
        return $"run {execution.RunId}: {execution.Status} in {RunText.Duration(execution.StartedAt, execution.FinishedAt)} "
            + $"(pipeline {execution.Pipeline} v{execution.Version}, runner {execution.Runner})";
    }

    /// <summary>Writes the summary as plain, aligned lines.</summary>
    public static async Task WritePlainAsync(TextWriter writer, PipelineExecution execution)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(execution);
        await writer.WriteLineAsync(Headline(execution));
        if (execution.Error is { } runError)
        {
            await writer.WriteLineAsync($"  error: {runError.Message}");
        }

        foreach (var result in execution.PipelineResults)
        {
            await writer.WriteLineAsync($"{RunText.Label(result)}: {result.Status} in {RunText.Duration(result.StartedAt, result.FinishedAt)}");
            var width = result.TaskExecutions.Select(t => t.Task.Length).DefaultIfEmpty(0).Max();
            foreach (var task in result.TaskExecutions)
            {
                var (succeeded, failed, cancelled) = RunText.Counts(task);
                var line = string.Create(
                    CultureInfo.InvariantCulture,
                    $"  {task.Task.PadRight(width)}  {task.Status,-9}  {succeeded} succeeded, {failed} failed, {cancelled} cancelled  {RunText.Duration(task.StartedAt, task.FinishedAt)}");
                await writer.WriteLineAsync(RunText.FirstError(task) is { } error ? $"{line}  {error}" : line);
            }
        }
    }

    /// <summary>The summary as a headline and one table per pipeline result.</summary>
    public static IRenderable ToRenderable(PipelineExecution execution)
    {
        ArgumentNullException.ThrowIfNull(execution);
        var lines = new List<IRenderable>
        {
            new Markup(
                $"[bold]{Markup.Escape(execution.Pipeline)}[/] run [bold]{Markup.Escape(execution.RunId)}[/]: "
                + $"[{RunText.Color(execution.Status)} bold]{execution.Status}[/] in {RunText.Duration(execution.StartedAt, execution.FinishedAt)} (runner {Markup.Escape(execution.Runner)})"),
        };
        if (execution.Error is { } error)
        {
            lines.Add(new Text($"error: {error.Message}", new Style(Color.Red)));
        }

        foreach (var result in execution.PipelineResults)
        {
            var table = new Table().RoundedBorder()
                .Title($"{Label(result)} in {RunText.Duration(result.StartedAt, result.FinishedAt)}")
                .AddColumns("Task", "Status")
                .AddColumn(new TableColumn("[green]ok[/]/[red]failed[/]/[yellow]cancelled[/]").RightAligned())
                .AddColumn(new TableColumn("Duration").RightAligned())
                .AddColumn("First error");
            foreach (var task in result.TaskExecutions)
            {
                var (succeeded, failed, cancelled) = RunText.Counts(task);
                table.AddRow(
                    new Text(task.Task),
                    new Markup($"[{RunText.Color(task.Status)}]{task.Status}[/]"),
                    new Text(string.Create(CultureInfo.InvariantCulture, $"{succeeded}/{failed}/{cancelled}")),
                    new Text(RunText.Duration(task.StartedAt, task.FinishedAt)),
                    new Text(RunText.FirstError(task) ?? string.Empty, new Style(Color.Red)));
            }

            lines.Add(table);
        }

        return new Rows(lines);
    }

    private static string Label(PipelineResult result) =>
        $"{Markup.Escape(RunText.Label(result))} [{RunText.Color(result.Status)}]{result.Status}[/]";
}
