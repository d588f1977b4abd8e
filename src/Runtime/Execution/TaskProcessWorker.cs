using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using DurablePipelines.Handlers;
using DurablePipelines.Records;

namespace DurablePipelines.Execution;

/// <summary>
/// The child side of the <c>process</c> execution: a host's program started with <see cref="Argument"/> reads one
/// attempt from standard input (<c>{ "handler", "context" }</c>), runs the handler, and writes
/// <c>{ "output": … }</c> or <c>{ "error": { "type", "message" } }</c> to standard output. What the handler itself
/// writes to standard output goes to standard error, so it cannot garble the answer. Exit 0 when it answered.
/// </summary>
public static class TaskProcessWorker
{
    /// <summary>The argument that makes a host's program a task process.</summary>
    public const string Argument = "--dp-task-process";

    /// <summary>True when <paramref name="args"/> ask for a task process.</summary>
    public static bool IsWorker(IReadOnlyList<string> args)
    {
        ArgumentNullException.ThrowIfNull(args);
        return args.Count > 0 && args[^1] == Argument;
    }

    /// <summary>Runs the one attempt of this process with <paramref name="handlers"/>; returns the exit code.</summary>
    public static async Task<int> RunAsync(HandlerRegistry handlers)
    {
        ArgumentNullException.ThrowIfNull(handlers);
        var answer = Console.OpenStandardOutput();
        Console.SetOut(Console.Error);
        string request;
        using (var input = new StreamReader(Console.OpenStandardInput(), Encoding.UTF8))
        {
            request = await input.ReadToEndAsync();
        }

        JsonObject response;
        try
        {
            var (handler, context) = Read(request);
            var output = await handlers.GetTask(handler).ExecuteAsync(context, CancellationToken.None);
            response = new JsonObject { ["output"] = output };
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            var error = TaskError.From(ex);
            response = new JsonObject { ["error"] = new JsonObject { ["type"] = error.Type, ["message"] = error.Message } };
        }

        await answer.WriteAsync(Encoding.UTF8.GetBytes(response.ToJsonString()));
        await answer.FlushAsync();
        return 0;
    }

    /// <summary>The request a parent writes for an attempt of <paramref name="handler"/> with <paramref name="context"/>.</summary>
    public static string Request(string handler, TaskContext context) =>
        new JsonObject { ["handler"] = handler, ["context"] = JsonSerializer.SerializeToNode(context, PipelineJson.Options) }.ToJsonString();

    private static (string Handler, TaskContext Context) Read(string request)
    {
        var node = JsonNode.Parse(request) as JsonObject ?? throw new InvalidDataException("the task process was given no request object");
        var handler = node["handler"]?.GetValue<string>() ?? throw new InvalidDataException("the task process was given no handler");
        var context = node["context"].Deserialize<TaskContext>(PipelineJson.Options) ?? throw new InvalidDataException("the task process was given no context");
        return (handler, context);
    }
}
