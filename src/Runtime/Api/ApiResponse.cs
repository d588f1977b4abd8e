using System.Text.Json.Nodes;

namespace DurablePipelines.Api;

/// <summary>A transport-neutral HTTP answer: both hosts write it out as is.</summary>
/// <param name="StatusCode">The HTTP status.</param>
/// <param name="Body">The JSON body, or null for none.</param>
/// <param name="ContentType"><c>application/json</c> or <c>application/problem+json</c>.</param>
/// <param name="Location">The <c>Location</c> header, when there is one.</param>
/// <param name="RetryAfterSeconds">The <c>Retry-After</c> header in seconds, when there is one (a 503).</param>
public sealed record ApiResponse(int StatusCode, JsonNode? Body, string ContentType = "application/json", string? Location = null, int? RetryAfterSeconds = null);
