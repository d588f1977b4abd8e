using System.Text.Json.Nodes;
using DurablePipelines.Validation;

namespace DurablePipelines.Api;

/// <summary>RFC 9457 problem details, as both hosts answer errors.</summary>
public static class Problems
{
    /// <summary>The media type of a problem body.</summary>
    public const string ContentType = "application/problem+json";

    /// <summary>
    /// The <c>Retry-After</c> of a 503: long enough that clients polling a run do not hammer a storage service that
    /// is restarting, short enough that a brief outage costs a poll or two.
    /// </summary>
    public const int UnavailableRetryAfterSeconds = 5;

    /// <summary>A problem with a status, a title and a detail.</summary>
    public static ApiResponse Create(int status, string type, string title, string detail, IReadOnlyList<ValidationError>? errors = null)
    {
        var body = new JsonObject
        {
            ["type"] = $"urn:durable-pipelines:problem:{type}",
            ["title"] = title,
            ["status"] = status,
            ["detail"] = detail,
        };
        if (errors is not null)
        {
            body["errors"] = new JsonArray([.. errors.Select(e => (JsonNode)new JsonObject
            {
                ["path"] = e.Path,
                ["code"] = e.Code,
                ["message"] = e.Message,
                ["text"] = e.ToString(),
            })]);
        }

        return new ApiResponse(status, body, ContentType);
    }

    /// <summary>400 with every validation error.</summary>
    public static ApiResponse Invalid(string detail, IReadOnlyList<ValidationError> errors) =>
        Create(400, "invalid-request", "The request was refused; nothing ran.", detail, errors);

    /// <summary>404.</summary>
    public static ApiResponse NotFound(string detail) => Create(404, "not-found", "Not found.", detail);

    /// <summary>409.</summary>
    public static ApiResponse Conflict(string detail) => Create(409, "conflict", "Conflict.", detail);

    /// <summary>413.</summary>
    public static ApiResponse TooLarge(int limit) =>
        Create(413, "too-large", "The request body is too large.", $"the body is larger than the limit of {limit} bytes (Pipelines:MaxRequestBytes)");

    /// <summary>503 with <c>Retry-After</c>: storage cannot answer now; the same request may succeed later.</summary>
    public static ApiResponse Unavailable(string detail) =>
        Create(503, "storage-unavailable", "Storage is unavailable; try again shortly.", detail) with { RetryAfterSeconds = UnavailableRetryAfterSeconds };

    /// <summary>401.</summary>
    public static ApiResponse Unauthorized() =>
        Create(401, "unauthorized", "A valid API key is required.", "send the key in the x-functions-key header");
}
