using System.Text.Json;
using System.Text.Json.Nodes;

namespace DurablePipelines.Handlers.BuiltIn;

/// <summary>
/// <c>sleep</c>: waits <c>ms</c> milliseconds (default 0), honouring cancellation; returns <c>{ "ms": n }</c>. With
/// <c>"blocking": true</c> it holds its thread meanwhile, as a synchronous or CPU-bound call does.
/// </summary>
internal sealed class SleepTask(TimeProvider time) : IPipelineTask
{
    public const string Name = "sleep";

    private static readonly ConfigReader s_schema = new ConfigReader()
        .Member("ms", "a whole number of milliseconds of at least 0", false, JsonValueKind.Number)
        .Member("ignoreCancellation", "true or false (tests of abandoned handlers)", false, JsonValueKind.True, JsonValueKind.False)
        .Member("blocking", "true or false: hold the thread while waiting", false, JsonValueKind.True, JsonValueKind.False);

    public IEnumerable<ConfigError> ValidateConfig(JsonObject? config) =>
        s_schema.Validate(config).Concat(ConfigReader.NonNegativeInt(config, "ms"));

    public async Task<JsonNode?> ExecuteAsync(TaskContext context, CancellationToken cancellationToken)
    {
        var ms = ConfigReader.Int(context.Config, "ms", 0);
        var ignore = context.Config?["ignoreCancellation"]?.GetValue<bool>() == true;
        if (ms > 0 && context.Config?["blocking"]?.GetValue<bool>() == true)
        {
            // Blocks the calling thread: a wait handle ends early on the token unless told to ignore it.
            var token = ignore ? CancellationToken.None : cancellationToken;
            token.WaitHandle.WaitOne(TimeSpan.FromMilliseconds(ms));
            token.ThrowIfCancellationRequested();
        }
        else if (ms > 0)
        {
            await Task.Delay(TimeSpan.FromMilliseconds(ms), time, ignore ? CancellationToken.None : cancellationToken);
        }

        return new JsonObject { ["ms"] = ms };
    }
}
