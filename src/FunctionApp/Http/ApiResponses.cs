using System.Text.Json.Nodes;
using DurablePipelines.Api;

namespace DurablePipelines.FunctionApp.Http;

/// <summary>The few answers the Function App adds to <see cref="PipelineApi"/>'s own.</summary>
internal static class ApiResponses
{
    public const string ProblemJson = "application/problem+json";

    /// <summary>401 problem+json (RFC 9457) for a request without the right <c>x-functions-key</c>.</summary>
    public static ApiResponse Unauthorized() => new(
        401,
        new JsonObject
        {
            ["title"] = "Unauthorized",
            ["status"] = 401,
            ["detail"] = $"send the API key in the {ApiRoutes.FunctionsKeyHeader} header",
        },
        ProblemJson);

    /// <summary>The run id of a 202 start answer, from its body's <c>runId</c>.</summary>
    public static string? RunIdOf(ApiResponse response)
    {
        ArgumentNullException.ThrowIfNull(response);
        return response.Body is JsonObject body && body["runId"] is JsonValue value && value.TryGetValue<string>(out var runId) ? runId : null;
    }

    /// <summary>
    /// Adds Durable's check-status links (<c>statusQueryGetUri</c>, <c>terminatePostUri</c>, …) to a start answer's
    /// body, next to our own status and cancel URLs; a name the body already has is left as it is.
    /// </summary>
    public static ApiResponse WithDurableLinks(ApiResponse response, JsonObject links)
    {
        ArgumentNullException.ThrowIfNull(response);
        ArgumentNullException.ThrowIfNull(links);
        if (response.Body is not JsonObject body)
        {
            return response;
        }

        var merged = body.DeepClone().AsObject();
        foreach (var (name, value) in links)
        {
            if (!merged.ContainsKey(name))
            {
                merged[name] = value?.DeepClone();
            }
        }

        return response with { Body = merged };
    }
}
