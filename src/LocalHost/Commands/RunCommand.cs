using System.CommandLine;
using System.Text.Json;
using System.Text.Json.Nodes;
using DurablePipelines.Durable.Runners;
using DurablePipelines.Hosting;
using DurablePipelines.LocalHost.Hosting;
using DurablePipelines.LocalHost.Output;
using DurablePipelines.Orchestration;
using DurablePipelines.Records;
using DurablePipelines.Runners;
using DurablePipelines.Starts;
using DurablePipelines.Storage.Hosting;
using DurablePipelines.Validation;
using Microsoft.Extensions.DependencyInjection;
using Spectre.Console;

namespace DurablePipelines.LocalHost.Commands;

/// <summary>
/// <c>dp run &lt;file|name&gt; [--input JSON|@file] [--runner eager|parallel|durable [--storage CONNECTION]] [--output table|json] [--run-id ID]</c>:
/// runs a pipeline in this process. Exit 0 when the run succeeded, 1 when it failed, was cancelled or
/// terminated (Ctrl-C), 2 when it was refused before anything ran.
/// </summary>
internal static class RunCommand
{
    private const string Table = "table";
    private const string Json = "json";

    public static Command Create(GlobalOptions globals)
    {
        var pipeline = new Argument<string>("pipeline") { Description = "A pipeline definition file, or a pipeline name in the pipelines folder" };
        var input = new Option<string?>("--input", "-i") { Description = "The run input: JSON text, or @file to read it from a file", HelpName = "JSON|@file" };
        var runner = new Option<string?>("--runner", "-r") { Description = "eager, parallel, durable (the Durable Task engine with its in-memory backend, from a preview package: a dry run of history and replay) or a custom runner (Pipelines:Runner, default eager)" };
        var output = new Option<string>("--output", "-o") { Description = "A summary table, or the execution record as JSON on stdout", DefaultValueFactory = _ => Table };
        output.AcceptOnlyFromAmong(Table, Json);
        var runId = new Option<string?>("--run-id") { Description = "The run id (default: the pipeline's runIdFrom, or a new one)", HelpName = "ID" };
        var storage = new Option<string?>("--storage")
        {
            Description = "With --runner durable: run on the engine's Azure Storage backend (task hub DurablePipelines) of this account, records in its blobs, instead of in memory",
            HelpName = "CONNECTION",
        };
        var events = new Option<string[]>("--event", "-e")
        {
            Description = "Raise an event on the run as it starts, for its 'wait' tasks (repeatable): the event's name and its JSON body",
            HelpName = "NAME=JSON",
        };
        var command = new Command("run", "Run a pipeline in this process and report on it") { pipeline, input, runner, output, runId, storage, events };
        command.Validators.Add(result =>
        {
            if (result.GetValue(storage) is not null && result.GetValue(runner) != DurableRunner.RunnerName)
            {
                result.AddError($"--storage goes with --runner {DurableRunner.RunnerName}");
            }
        });
        command.SetAction((parse, cancellationToken) =>
        {
            var settings = new List<KeyValuePair<string, string?>>();
            if (parse.GetValue(runner) is { Length: > 0 } name)
            {
                settings.Add(new($"{PipelineOptions.Section}:{nameof(PipelineOptions.Runner)}", name));
            }

            if (parse.GetValue(storage) is { Length: > 0 } connection)
            {
                settings.Add(new(StorageOptions.AccountSetting, connection));
                settings.Add(new(LocalHostServices.DurableOnStorageSetting, "true"));
            }

            var request = new RunRequest(parse.GetValue(pipeline)!, parse.GetValue(input), parse.GetValue(runId), parse.GetValue(output) == Json, parse.GetValue(events) ?? []);
            return CliContext.RunAsync(parse, globals, settings, context => ExecuteAsync(context, request, cancellationToken));
        });
        return command;
    }

    private static async Task<int> ExecuteAsync(CliContext context, RunRequest request, CancellationToken cancellationToken)
    {
        if (await PipelineLookup.FindAsync(context, request.Pipeline) is not { } definition)
        {
            return ExitCodes.Refused;
        }

        var (input, inputProblem) = await ReadInputAsync(request.Input, cancellationToken);
        if (inputProblem is not null)
        {
            await context.Error.WriteLineAsync(inputProblem);
            return ExitCodes.Refused;
        }

        var (events, eventProblem) = ReadEvents(request.Events);
        if (eventProblem is not null)
        {
            await context.Error.WriteLineAsync(eventProblem);
            return ExitCodes.Refused;
        }

        var runners = context.Services.GetRequiredService<PipelineRunnerRegistry>();
        if (!runners.Contains(context.Options.Runner))
        {
            await context.Error.WriteLineAsync($"unknown runner '{context.Options.Runner}' (known: {string.Join(", ", runners.Names)})");
            return ExitCodes.Refused;
        }

        var runner = runners.Get(context.Options.Runner);
        RunPipelineInput run;
        try
        {
            run = context.Services.GetRequiredService<RunStarter>().Plan(definition, input, request.RunId, runner.Name, context.Options.ToSettings()) with { RunEvents = events };
        }
        catch (PipelineValidationException ex)
        {
            await CliContext.WriteErrorsAsync(context.Error, request.Pipeline, ex.Errors);
            return ExitCodes.Refused;
        }

        using var cancelNotice = cancellationToken.Register(() => context.Error.WriteLine("cancelling: no new task starts; running ones are asked to stop"));
        var execution = request.Json
            ? await runner.RunAsync(run, NullReporter.Instance, cancellationToken)
            : await RunWithProgressAsync(context, runner, run, cancellationToken);

        if (request.Json)
        {
            await context.Out.WriteLineAsync(JsonSerializer.Serialize(execution, PipelineJson.Indented));
        }

        return execution.Status == RunStatus.Succeeded ? ExitCodes.Success : ExitCodes.RunFailed;
    }

    private static async Task<PipelineExecution> RunWithProgressAsync(CliContext context, IPipelineRunner runner, RunPipelineInput run, CancellationToken cancellationToken)
    {
        var reporter = new ChannelReporter();
        var live = context.OutIsTerminal && AnsiConsole.Profile.Capabilities.Interactive && AnsiConsole.Profile.Capabilities.Ansi;
        var running = RunAsync(runner, run, reporter, cancellationToken);
        if (live)
        {
            await LiveRunDisplay.ShowAsync(AnsiConsole.Console, new RunBoard(run.RunId, run.Definition.Name, runner.Name), reporter, running);
            var execution = await running;
            AnsiConsole.Write(RunSummary.ToRenderable(execution));
            return execution;
        }

        await PlainRunLog.WriteAsync(context.Out, reporter.Events);
        var result = await running;
        await RunSummary.WritePlainAsync(context.Out, result);
        return result;
    }

    private static async Task<PipelineExecution> RunAsync(IPipelineRunner runner, RunPipelineInput run, ChannelReporter reporter, CancellationToken cancellationToken)
    {
        try
        {
            return await runner.RunAsync(run, reporter, cancellationToken);
        }
        finally
        {
            reporter.Complete();
        }
    }

    /// <summary>The run input from <c>--input</c>: JSON text or <c>@file</c>; null without one.</summary>
    internal static async Task<(JsonNode? Input, string? Problem)> ReadInputAsync(string? text, CancellationToken cancellationToken, string option = "--input")
    {
        if (text is null)
        {
            return (null, null);
        }

        var source = option;
        if (text.StartsWith('@'))
        {
            var file = text[1..];
            if (!File.Exists(file))
            {
                return (null, $"{option}: no such file '{file}'");
            }

            source = $"{option} file '{file}'";
            text = await File.ReadAllTextAsync(file, cancellationToken);
        }

        try
        {
            return (JsonNode.Parse(text), null);
        }
        catch (JsonException ex)
        {
            return (null, $"{source} is not valid JSON: {ex.Message}");
        }
    }

    /// <summary>The events of <c>--event NAME=JSON</c>; null without any.</summary>
    internal static (IReadOnlyDictionary<string, JsonNode?>? Events, string? Problem) ReadEvents(IReadOnlyList<string> texts)
    {
        if (texts.Count == 0)
        {
            return (null, null);
        }

        var events = new Dictionary<string, JsonNode?>(StringComparer.Ordinal);
        foreach (var text in texts)
        {
            var equals = text.IndexOf('=', StringComparison.Ordinal);
            var name = equals < 0 ? text : text[..equals];
            if (!Definitions.RunIdTemplate.IsValidRunId(name))
            {
                return (null, $"--event '{text}': '{name}' is not an event name (1 to 100 letters, digits, '-', '_' or '.', starting with a letter or digit), as in --event approval='{{\"by\": \"ann\"}}'");
            }

            try
            {
                events[name] = equals < 0 || equals == text.Length - 1 ? null : JsonNode.Parse(text[(equals + 1)..]);
            }
            catch (JsonException ex)
            {
                return (null, $"--event '{name}': the body is not valid JSON: {ex.Message}");
            }
        }

        return (events, null);
    }

    private sealed record RunRequest(string Pipeline, string? Input, string? RunId, bool Json, IReadOnlyList<string> Events);
}
