using System.Globalization;
using System.Text.Json;
using Spectre.Console;

namespace DurablePipelines.Bench.Harness;

/// <summary>Prints the results as a table and writes them as JSON.</summary>
internal static class ResultTable
{
    // The file is read by people too: "<= 10x" stays as written.
    private static readonly JsonSerializerOptions s_json = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = true,
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    public static void Print(IReadOnlyList<BenchResult> results)
    {
        var table = new Table().Border(TableBorder.Rounded)
            .AddColumn("scenario").AddColumn("figure").AddColumn(new TableColumn("value").RightAligned())
            .AddColumn(new TableColumn("floor").RightAligned()).AddColumn(new TableColumn("ratio").RightAligned())
            .AddColumn("goal").AddColumn("met");
        foreach (var r in results)
        {
            table.AddRow(
                Markup.Escape(r.Scenario),
                Markup.Escape(r.Figure),
                Markup.Escape(Format(r.Value, r.Unit)),
                Markup.Escape(r.Floor is { } f ? $"{Format(f, r.FloorName?.Contains("/s", StringComparison.Ordinal) == true || r.Unit == "/s" ? "/s" : r.Unit)}\n{r.FloorName}" : "-"),
                r.Ratio is { } ratio ? ratio.ToString("0.0x", CultureInfo.InvariantCulture) : "-",
                Markup.Escape(r.Goal ?? "-"),
                r.Met switch { true => "[green]met[/]", false => "[red]not met[/]", null => "-" });
        }

        if (Console.IsOutputRedirected)
        {
            AnsiConsole.Profile.Width = 200;
        }

        AnsiConsole.Write(table);
        foreach (var r in results.Where(r => r.Note is not null))
        {
            AnsiConsole.MarkupLine($"[grey]{Markup.Escape(r.Scenario)} / {Markup.Escape(r.Figure)}: {Markup.Escape(r.Note!)}[/]");
        }
    }

    public static async Task WriteJsonAsync(string path, BenchSettings settings, TimeSpan elapsed, IReadOnlyList<BenchResult> results)
    {
        var report = new
        {
            quick = settings.Quick,
            date = DateTime.UtcNow,
            elapsedSeconds = elapsed.TotalSeconds,
            machine = new
            {
                processors = Environment.ProcessorCount,
                os = System.Runtime.InteropServices.RuntimeInformation.OSDescription,
                runtime = System.Runtime.InteropServices.RuntimeInformation.FrameworkDescription,
            },
            results,
        };
        var directory = Path.GetDirectoryName(Path.GetFullPath(path));
        if (directory is not null)
        {
            Directory.CreateDirectory(directory);
        }

        await File.WriteAllTextAsync(path, JsonSerializer.Serialize(report, s_json));
    }

    private static string Format(double value, string unit) => unit switch
    {
        "/s" => value.ToString("N0", CultureInfo.InvariantCulture) + "/s",
        "us" or "ms" => value.ToString(value < 10 ? "0.00" : "N1", CultureInfo.InvariantCulture) + " " + unit,
        "MB" => value.ToString("N0", CultureInfo.InvariantCulture) + " MB",
        "events/result" => value.ToString("0.00", CultureInfo.InvariantCulture) + " events",
        _ => (value.ToString("N0", CultureInfo.InvariantCulture) + " " + unit).Trim(),
    };
}
