using System.Text.Json;
using System.Text.Json.Nodes;

namespace DurablePipelines.Handlers.BuiltIn;

/// <summary>
/// <c>fail</c>: throws. Config <c>times</c> fails that many attempts then succeeds (default: every attempt);
/// <c>items</c> fails only when the pipeline item or the task item equals one of these values;
/// <c>message</c> is the error message. On success it returns <c>{ "attempt": n }</c>.
/// </summary>
internal sealed class FailTask : IPipelineTask
{
    public const string Name = "fail";

    private static readonly ConfigReader s_schema = new ConfigReader()
        .Member("times", "a whole number of at least 0", false, JsonValueKind.Number)
        .Member("items", "an array of values", false, JsonValueKind.Array)
        .Member("message", "a string", false, JsonValueKind.String);

    public IEnumerable<ConfigError> ValidateConfig(JsonObject? config) =>
        s_schema.Validate(config).Concat(ConfigReader.NonNegativeInt(config, "times"));

    public Task<JsonNode?> ExecuteAsync(TaskContext context, CancellationToken cancellationToken)
    {
        var config = context.Config;
        if (config?["items"] is JsonArray items
            && !items.Any(v => JsonNode.DeepEquals(v, context.Item) || JsonNode.DeepEquals(v, context.TaskItem)))
        {
            return Task.FromResult<JsonNode?>(new JsonObject { ["attempt"] = context.Attempt });
        }

        var times = ConfigReader.Int(config, "times", int.MaxValue);
        if (context.Attempt > times)
        {
            return Task.FromResult<JsonNode?>(new JsonObject { ["attempt"] = context.Attempt });
        }

        var message = config?["message"]?.GetValue<string>() ?? $"task '{context.Task}' failed on purpose (attempt {context.Attempt})";
        throw new TaskFailedOnPurposeException(message);
    }
}

/// <summary>The error the <c>fail</c> handler throws.</summary>
public sealed class TaskFailedOnPurposeException : Exception
{
    /// <summary>Creates the exception.</summary>
    public TaskFailedOnPurposeException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception.</summary>
    public TaskFailedOnPurposeException()
    {
    }

    /// <summary>Creates the exception.</summary>
    public TaskFailedOnPurposeException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
