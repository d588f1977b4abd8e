using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using DurablePipelines.LocalHost.Output;
using DurablePipelines.LocalHost.Remote;
using DurablePipelines.Records;

namespace DurablePipelines.LocalHost.Commands;

/// <summary>
/// <c>dp runs list|show|cancel|suspend|resume|rerun|raise|retry|skip|fail</c>: watches and acts on the runs of a host,
/// <c>dp serve</c> or the Function App on Azure, through its HTTP API (docs/api.md) at <c>--url</c> with <c>--key</c>.
/// Tables by default, the API's JSON with <c>--output json</c>. Exit 0 when the host did it, 2 when it refused or could
/// not be reached (the reason on stderr).
/// </summary>
internal static class RunsCommand
{
    /// <summary>Where <c>--url</c> defaults to when neither it nor <c>DP_URL</c> is set: <c>dp serve</c>'s default.</summary>
    public const string DefaultUrl = "http://127.0.0.1:7071";

    private const string Table = "table";
    private const string Json = "json";

    public static Command Create()
    {
        var url = new Option<string?>("--url") { Description = $"The host: dp serve's URL or the Function App's, as https://app.azurewebsites.net (DP_URL, default {DefaultUrl})", HelpName = "URL", Recursive = true };
        var key = new Option<string?>("--key") { Description = "The API key (DP_KEY): Pipelines:ApiKey of dp serve, or a function key on Azure", HelpName = "KEY", Recursive = true };
        var output = new Option<string>("--output", "-o") { Description = "Tables, or the API's JSON on stdout", DefaultValueFactory = _ => Table, Recursive = true };
        output.AcceptOnlyFromAmong(Table, Json);
        var host = new Host(url, key, output);

        var runs = new Command("runs", "Watch and act on the runs of a host (dp serve or the Function App) through its HTTP API") { url, key, output };
        runs.Add(List(host));
        runs.Add(Show(host));
        runs.Add(Simple(host, "cancel", "Cancel a run: what did not start ends Cancelled, the run Terminated"));
        runs.Add(Simple(host, "suspend", "Suspend a run: no new task result starts until it is resumed"));
        runs.Add(Simple(host, "resume", "Resume a suspended run"));
        runs.Add(Rerun(host));
        runs.Add(Raise(host));
        runs.Add(Repair(host, "retry", "Retry a result that waits for an operator, optionally with an edited config or item"));
        runs.Add(Repair(host, "skip", "Skip a result that waits for an operator: it succeeds with the given output"));
        runs.Add(Repair(host, "fail", "Fail a result that waits for an operator, as it would have failed without repair"));
        return runs;
    }

    private static Argument<string> RunIdArgument() => new("runId") { Description = "The run's id" };

    private static Command List(Host host)
    {
        var pipeline = new Option<string?>("--pipeline", "-p") { Description = "Only runs of this pipeline", HelpName = "NAME" };
        var status = new Option<string?>("--status", "-s") { Description = "Only runs with this status (Pending, Running, Succeeded, Failed, Cancelled, Terminated)", HelpName = "STATUS" };
        var top = new Option<int?>("--top") { Description = "At most this many runs, newest first (1 to 1000, default 50)", HelpName = "N" };
        var command = new Command("list", "The host's runs, newest first") { pipeline, status, top };
        command.SetAction((parse, cancellationToken) => host.CallAsync(parse, async (client, session) =>
        {
            var query = new List<string>();
            if (parse.GetValue(pipeline) is { Length: > 0 } p)
            {
                query.Add("pipeline=" + Uri.EscapeDataString(p));
            }

            if (parse.GetValue(status) is { Length: > 0 } s)
            {
                query.Add("status=" + Uri.EscapeDataString(s));
            }

            if (parse.GetValue(top) is { } n)
            {
                query.Add("top=" + n.ToString(CultureInfo.InvariantCulture));
            }

            var answer = await client.GetAsync(query.Count == 0 ? "runs" : "runs?" + string.Join('&', query), cancellationToken);
            return await session.AnswerAsync(answer, async body =>
            {
                var rows = (body["runs"] as JsonArray ?? []).Select(r => new[]
                {
                    Text(r, "runId"), Text(r, "pipeline"), Text(r, "status"), Text(r, "createdAt"),
                    r?["durationMs"] is JsonValue ms ? RunText.Duration(TimeSpan.FromMilliseconds(ms.GetValue<double>())) : string.Empty,
                    Text(r, "error"),
                }).ToList();
                await TextTable.WriteAsync(session.Out, ["RUN", "PIPELINE", "STATUS", "CREATED", "DURATION", "ERROR"], rows);
            });
        }));
        return command;
    }

    private static Command Show(Host host)
    {
        var runId = RunIdArgument();
        var log = new Option<bool>("--log") { Description = "Also the run log: every change but the starts and successes of single results" };
        var command = new Command("show", "A run: its record, its live progress while it goes, the results waiting for an operator") { runId, log };
        command.SetAction((parse, cancellationToken) => host.CallAsync(parse, async (client, session) =>
        {
            var id = PipelineApiClient.Segment(parse.GetValue(runId)!);
            var answer = await client.GetAsync($"runs/{id}", cancellationToken);
            if (!answer.Succeeded || session.Json && !parse.GetValue(log))
            {
                return await session.AnswerAsync(answer, _ => Task.CompletedTask);
            }

            ApiAnswer? logAnswer = null;
            if (parse.GetValue(log))
            {
                logAnswer = await client.GetAsync($"runs/{id}/log", cancellationToken);
                if (!logAnswer.Succeeded)
                {
                    return await session.AnswerAsync(logAnswer, _ => Task.CompletedTask);
                }
            }

            if (session.Json)
            {
                return await session.AnswerAsync(answer with { Body = new JsonObject { ["run"] = answer.Body!.DeepClone(), ["log"] = logAnswer!.Body!["rows"]!.DeepClone() } }, _ => Task.CompletedTask);
            }

            return await session.AnswerAsync(answer, async body =>
            {
                await WriteRunAsync(session.Out, body);
                if (logAnswer?.Body?["rows"] is JsonArray rows)
                {
                    await session.Out.WriteLineAsync("log:");
                    foreach (var row in rows.Select(r => r.Deserialize<StateChange>(PipelineJson.Options)!).Where(PlainRunLog.Shows))
                    {
                        await session.Out.WriteLineAsync("  " + PlainRunLog.Line(row));
                    }
                }
            });
        }));
        return command;
    }

    /// <summary>A verb that is a bodiless POST on the run's route of the same name (<c>runs/{runId}/{name}</c>).</summary>
    private static Command Simple(Host host, string name, string description)
    {
        var runId = RunIdArgument();
        var command = new Command(name, description) { runId };
        command.SetAction((parse, cancellationToken) => host.CallAsync(parse, async (client, session) =>
        {
            var id = parse.GetValue(runId)!;
            var answer = await client.PostAsync($"runs/{PipelineApiClient.Segment(id)}/{name}", null, cancellationToken);
            return await session.AnswerAsync(answer, _ => session.Out.WriteLineAsync($"{name} of run {id} accepted"));
        }));
        return command;
    }

    private static Command Rerun(Host host)
    {
        var runId = RunIdArgument();
        var newId = new Option<string?>("--run-id") { Description = "The new run's id (default: a new one)", HelpName = "ID" };
        var command = new Command("rerun", "Start a new run of a finished run's definition and input, reusing every result that succeeded") { runId, newId };
        command.SetAction((parse, cancellationToken) => host.CallAsync(parse, async (client, session) =>
        {
            var body = parse.GetValue(newId) is { } id ? new JsonObject { ["runId"] = id } : null;
            var answer = await client.PostAsync($"runs/{PipelineApiClient.Segment(parse.GetValue(runId)!)}/rerun", body, cancellationToken);
            return await session.AnswerAsync(answer, b => session.Out.WriteLineAsync($"run {Text(b, "runId")} reruns {parse.GetValue(runId)}: {Text(b, "statusUrl")}"));
        }));
        return command;
    }

    private static Command Raise(Host host)
    {
        var runId = RunIdArgument();
        var name = new Argument<string>("event") { Description = "The event's name, as the 'wait' tasks' config says" };
        var body = new Option<string?>("--body", "-b") { Description = "The event's body: JSON text, or @file (default: none, null)", HelpName = "JSON|@file" };
        var command = new Command("raise", "Raise an event on a run: its 'wait' results for the name end with the body") { runId, name, body };
        command.SetAction((parse, cancellationToken) => host.CallAsync(parse, async (client, session) =>
        {
            var (payload, problem) = await RunCommand.ReadInputAsync(parse.GetValue(body), cancellationToken, "--body");
            if (problem is not null)
            {
                return await session.RefuseAsync(problem);
            }

            var id = parse.GetValue(runId)!;
            var answer = await client.PostAsync($"runs/{PipelineApiClient.Segment(id)}/events/{PipelineApiClient.Segment(parse.GetValue(name)!)}", payload ?? JsonValue.Create((string?)null), cancellationToken);
            return await session.AnswerAsync(answer, _ => session.Out.WriteLineAsync($"event {parse.GetValue(name)} raised on run {id}"));
        }));
        return command;
    }

    private static Command Repair(Host host, string action, string description)
    {
        var runId = RunIdArgument();
        var result = new Argument<string>("result") { Description = "The result: PIPELINERESULT/TASK/TASKRESULT as 'dp runs show' lists it, such as 0/load/3" };
        var by = new Option<string?>("--by") { Description = "Who acts, kept in the run log and the record (default: the user name)", HelpName = "NAME" };
        var command = new Command(action, description) { runId, result, by };
        var config = new Option<string?>("--config") { Description = "The task's config for the next attempts: JSON text, or @file", HelpName = "JSON|@file" };
        var item = new Option<string?>("--item") { Description = "The item for the next attempts: JSON text, or @file", HelpName = "JSON|@file" };
        var output = new Option<string?>("--result-output") { Description = "The result's output: JSON text, or @file (default: null)", HelpName = "JSON|@file" };
        if (action == "retry")
        {
            command.Add(config);
            command.Add(item);
        }
        else if (action == "skip")
        {
            command.Add(output);
        }

        command.SetAction((parse, cancellationToken) => host.CallAsync(parse, async (client, session) =>
        {
            var address = parse.GetValue(result)!;
            var parts = address.Split('/');
            if (parts.Length != 3 || parts.Any(p => p.Length == 0))
            {
                return await session.RefuseAsync($"result '{address}': give PIPELINERESULT/TASK/TASKRESULT, such as 0/load/3");
            }

            var body = new JsonObject { ["by"] = parse.GetValue(by) ?? Environment.UserName };
            foreach (var (option, member) in new[] { (config, "config"), (item, "item"), (output, "output") })
            {
                if (!command.Options.Contains(option) || parse.GetValue(option) is not { } text)
                {
                    continue;
                }

                var (value, problem) = await RunCommand.ReadInputAsync(text, cancellationToken, option.Name);
                if (problem is not null)
                {
                    return await session.RefuseAsync(problem);
                }

                body[member] = value;
            }

            var id = parse.GetValue(runId)!;
            var path = $"runs/{PipelineApiClient.Segment(id)}/results/{string.Join('/', parts.Select(PipelineApiClient.Segment))}/{action}";
            var answer = await client.PostAsync(path, body, cancellationToken);
            return await session.AnswerAsync(answer, _ => session.Out.WriteLineAsync($"{action} of result {address} of run {id} accepted"));
        }));
        return command;
    }

    /// <summary>A run's record as text: the summary of its results, its progress while it goes, what waits for an operator.</summary>
    private static async Task WriteRunAsync(TextWriter writer, JsonNode body)
    {
        var record = body.Deserialize<PipelineExecution>(PipelineJson.Options)!;
        var status = Text(body, "status");
        if (record.Status.IsFinal())
        {
            await RunSummary.WritePlainAsync(writer, record);
            return;
        }

        await writer.WriteLineAsync($"run {record.RunId}: {status} (pipeline {record.Pipeline} v{record.Version}, runner {record.Runner}, created {Text(body, "createdAt")})");
        if (body["progress"] is not JsonObject progressJson || progressJson.Deserialize<RunProgress>(PipelineJson.Options) is not { } progress)
        {
            return;
        }

        await writer.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"  tasks: {Counts(progress.Tasks)}"));
        await writer.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"  results: {Counts(progress.Results)}"));
        if (progress.RunningTasks.Count > 0)
        {
            await writer.WriteLineAsync($"  running: {string.Join(", ", progress.RunningTasks)}");
        }

        foreach (var failure in progress.Failures)
        {
            await writer.WriteLineAsync($"  failed: {failure}");
        }

        if (progress.WaitingCount > 0)
        {
            await writer.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"waiting for an operator ({progress.WaitingCount}; dp runs retry|skip|fail {record.RunId} RESULT):"));
            var rows = progress.Waiting.Select(w => new[]
            {
                string.Create(CultureInfo.InvariantCulture, $"{w.PipelineResult}/{w.Task}/{w.TaskResult}"),
                w.Attempts.ToString(CultureInfo.InvariantCulture),
                w.Since.ToString("u", CultureInfo.InvariantCulture),
                w.Until?.ToString("u", CultureInfo.InvariantCulture) ?? "-",
                w.Error?.Message ?? string.Empty,
            }).ToList();
            await TextTable.WriteAsync(writer, ["RESULT", "ATTEMPTS", "SINCE", "UNTIL", "ERROR"], rows, indent: "  ");
        }
    }

    private static string Counts(StatusCounts c) =>
        string.Create(CultureInfo.InvariantCulture, $"{c.Succeeded} succeeded, {c.Failed} failed, {c.Cancelled} cancelled, {c.Running} running, {c.Pending} pending of {c.Total}");

    private static string Text(JsonNode? node, string member) =>
        node?[member] is JsonValue v ? (v.TryGetValue<string>(out var s) ? s : v.ToJsonString()) : string.Empty;

    /// <summary>The options every verb of <c>dp runs</c> shares, and how each call is made and answered.</summary>
    private sealed record Host(Option<string?> Url, Option<string?> Key, Option<string> Output)
    {
        public async Task<int> CallAsync(ParseResult parse, Func<PipelineApiClient, Session, Task<int>> call)
        {
            var session = new Session(parse.InvocationConfiguration.Output, parse.InvocationConfiguration.Error, parse.GetValue(Output) == Json);
            var text = parse.GetValue(Url) ?? Environment.GetEnvironmentVariable("DP_URL") ?? DefaultUrl;
            if (!Uri.TryCreate(text, UriKind.Absolute, out var url) || url.Scheme is not ("http" or "https"))
            {
                return await session.RefuseAsync($"--url '{text}' is not an http or https URL, such as {DefaultUrl}");
            }

            using var client = new PipelineApiClient(url, parse.GetValue(Key) ?? Environment.GetEnvironmentVariable("DP_KEY"));
            return await call(client, session);
        }
    }

    /// <summary>Where a verb writes, and how it answers what the host said.</summary>
    private sealed record Session(TextWriter Out, TextWriter Error, bool Json)
    {
        /// <summary>
        /// On success, the body as JSON (<c>--output json</c>) or as <paramref name="table"/> writes it; else the
        /// problem on stderr. Exit 0 or 2.
        /// </summary>
        public async Task<int> AnswerAsync(ApiAnswer answer, Func<JsonNode, Task> table)
        {
            if (!answer.Succeeded)
            {
                foreach (var line in answer.Problem())
                {
                    await Error.WriteLineAsync($"dp runs: {line}");
                }

                return ExitCodes.Refused;
            }

            if (Json)
            {
                await Out.WriteLineAsync(answer.Body?.ToJsonString(PipelineJson.Indented) ?? "null");
            }
            else
            {
                await table(answer.Body ?? new JsonObject());
            }

            return ExitCodes.Success;
        }

        public async Task<int> RefuseAsync(string problem)
        {
            await Error.WriteLineAsync($"dp runs: {problem}");
            return ExitCodes.Refused;
        }
    }
}
