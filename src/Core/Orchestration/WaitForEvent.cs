using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using DurablePipelines.Definitions;
using DurablePipelines.Handlers;

namespace DurablePipelines.Orchestration;

/// <summary>
/// The built-in <c>wait</c> handler: a task result that waits for an event raised on its run
/// (<c>POST /api/runs/{runId}/events/{name}</c>) and ends with the event's body as its output. It runs in the
/// orchestration, not in an activity: on the engine a waiting result is a wait for an external event and a durable
/// timer, and costs nothing while it waits.
/// </summary>
/// <remarks>
/// Config: <c>event</c> (required) names the event; <c>{item}</c> in it is replaced by the task item (a string as it
/// is, anything else as JSON) and <c>{index}</c> by the result's index, so iterated results wait per item.
/// <c>timeout</c> (a duration) ends the wait: the result fails with <c>System.TimeoutException</c>, or, with
/// <c>"onTimeout": "default"</c>, succeeds with <c>default</c> as its output.
/// </remarks>
public static class WaitForEvent
{
    /// <summary>The handler's name.</summary>
    public const string HandlerName = "wait";

    private static readonly ConfigReader s_schema = new ConfigReader()
        .Member("event", "the name of the event to wait for; {item} and {index} address the result", true, JsonValueKind.String)
        .Member("timeout", "a duration", false, JsonValueKind.String)
        .Member("onTimeout", "\"fail\" or \"default\"", false, JsonValueKind.String)
        .Member("default", "the output when the wait times out with \"onTimeout\": \"default\"", false, JsonValueKind.Object, JsonValueKind.Array, JsonValueKind.String, JsonValueKind.Number, JsonValueKind.True, JsonValueKind.False, JsonValueKind.Null);

    /// <summary>Every problem of a <c>wait</c> task's config.</summary>
    public static IEnumerable<ConfigError> ValidateConfig(JsonObject? config)
    {
        foreach (var error in s_schema.Validate(config))
        {
            yield return error;
        }

        if (config?["event"] is JsonValue name && name.TryGetValue<string>(out var text) && text.Length == 0)
        {
            yield return new ConfigError(".event", "the event name must not be empty");
        }

        if (config?["timeout"] is JsonValue timeout && timeout.TryGetValue<string>(out var duration)
            && (!Durations.TryParse(duration, out var value) || value <= TimeSpan.Zero))
        {
            yield return new ConfigError(".timeout", $"'{duration}' is not a duration longer than zero");
        }

        if (config?["onTimeout"] is JsonValue onTimeout && onTimeout.TryGetValue<string>(out var choice) && choice is not ("fail" or "default"))
        {
            yield return new ConfigError(".onTimeout", $"'{choice}' is neither \"fail\" nor \"default\"");
        }
    }

    /// <summary>What a valid config asks for.</summary>
    internal static Spec Read(JsonObject? config)
    {
        var timeout = config?["timeout"]?.GetValue<string>() is { } text && Durations.TryParse(text, out var value) ? value : (TimeSpan?)null;
        return new Spec(
            config?["event"]?.GetValue<string>() ?? string.Empty,
            timeout,
            config?["onTimeout"]?.GetValue<string>() == "default",
            config?["default"]);
    }

    /// <summary>A <c>wait</c> task's config, read.</summary>
    internal sealed record Spec(string Event, TimeSpan? Timeout, bool DefaultOnTimeout, JsonNode? Default)
    {
        /// <summary>The event result <paramref name="index"/> (with <paramref name="item"/>) waits for.</summary>
        public string EventFor(int index, JsonNode? item)
        {
            if (!Event.Contains('{', StringComparison.Ordinal))
            {
                return Event;
            }

            var itemText = item is JsonValue v && v.TryGetValue<string>(out var s) ? s : item?.ToJsonString() ?? "null";
            return Event.Replace("{item}", itemText, StringComparison.Ordinal).Replace("{index}", index.ToString(CultureInfo.InvariantCulture), StringComparison.Ordinal);
        }
    }
}
