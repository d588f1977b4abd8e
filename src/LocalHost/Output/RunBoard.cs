using DurablePipelines.Records;
using Spectre.Console;
using Spectre.Console.Rendering;

namespace DurablePipelines.LocalHost.Output;

/// <summary>
/// The live view's state, folded from the run's reports on the display's own thread: counts per status and
/// running tasks from each pipeline result's latest <see cref="RunProgress"/> (the same numbers the portal's
/// custom status shows), and the latest notable <see cref="StateChange"/>s.
/// </summary>
internal sealed class RunBoard(string runId, string pipeline, string runner)
{
    private const int RecentLines = 6;
    private static readonly RunStatus[] s_columns = [RunStatus.Pending, RunStatus.Running, RunStatus.Succeeded, RunStatus.Failed, RunStatus.Cancelled];

    private readonly SortedDictionary<string, RunProgress> _items = new(StringComparer.Ordinal);
    private readonly Queue<string> _recent = new();

    /// <summary>The run's status as last reported.</summary>
    public RunStatus Status { get; private set; } = RunStatus.Pending;

    /// <summary>Takes in one report.</summary>
    public void Apply(object report)
    {
        switch (report)
        {
            // Chunk sub-orchestrations (…:c{n}) report results their pipeline result also counts: skip them.
            case RunProgress progress when progress.InstanceId.Count(c => c == ':') <= 1:
                _items[progress.InstanceId] = progress;
                break;
            case StateChange change:
                if (change.PipelineResult is null)
                {
                    Status = change.Status;
                }

                if (PlainRunLog.Shows(change) && change.Task is not null)
                {
                    _recent.Enqueue(PlainRunLog.Line(change));
                    if (_recent.Count > RecentLines)
                    {
                        _recent.Dequeue();
                    }
                }

                break;
        }
    }

    /// <summary>The view: a header, a table of counts per status, the running tasks and the latest changes.</summary>
    public IRenderable Render(TimeSpan elapsed)
    {
        var header = new Markup($"[bold]{Markup.Escape(pipeline)}[/] run [bold]{Markup.Escape(runId)}[/] on {Markup.Escape(runner)}: "
            + $"[{RunText.Color(Status)}]{Status}[/] {RunText.Duration(elapsed)}");
        var table = new Table().RoundedBorder().AddColumn(string.Empty);
        foreach (var status in s_columns)
        {
            table.AddColumn(new TableColumn($"[{RunText.Color(status)}]{status}[/]").RightAligned());
        }

        table.AddRow(Row("Tasks", _items.Values.Select(p => p.Tasks)));
        table.AddRow(Row("Task results", _items.Values.Select(p => p.Results)));

        var running = _items.Values
            .SelectMany(p => p.RunningTasks.Select(t => _items.Count > 1 ? $"{Suffix(p.InstanceId)} {t}" : t))
            .ToList();
        var lines = new List<IRenderable> { header, table };
        if (running.Count > 0)
        {
            lines.Add(new Markup($"[blue]Running:[/] {Markup.Escape(string.Join(", ", running.Take(12)))}{(running.Count > 12 ? ", …" : string.Empty)}"));
        }

        lines.AddRange(_recent.Select(line => new Text(line, new Style(Color.Grey))));
        return new Rows(lines);
    }

    private static IRenderable[] Row(string label, IEnumerable<StatusCounts> counts)
    {
        var all = counts.ToList();
        return
        [
            new Text(label),
            new Text($"{all.Sum(c => c.Pending)}"),
            new Text($"{all.Sum(c => c.Running)}"),
            new Text($"{all.Sum(c => c.Succeeded)}"),
            new Text($"{all.Sum(c => c.Failed)}"),
            new Text($"{all.Sum(c => c.Cancelled)}"),
        ];
    }

    // "run:p3" reads as "[3]"; the run's own instance (no pipeline iterator) as "[0]".
    private static string Suffix(string instanceId)
    {
        var colon = instanceId.LastIndexOf(':');
        return colon < 0 ? "[0]" : $"[{instanceId[(colon + 2)..]}]";
    }
}
