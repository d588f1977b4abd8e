using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;

namespace DurablePipelines.LocalHost.Tests.Serve;

/// <summary>Assertions over RFC 9457 answers.</summary>
internal static class ProblemAssert
{
    /// <summary>Asserts the status and a problem+json body that repeats it; returns the body.</summary>
    public static async Task<JsonObject> IsAsync(HttpResponseMessage response, HttpStatusCode status)
    {
        ArgumentNullException.ThrowIfNull(response);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == status, $"expected {(int)status}, got {(int)response.StatusCode}: {text}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var body = Assert.IsType<JsonObject>(JsonNode.Parse(text));
        Assert.Equal((int)status, body["status"]!.GetValue<int>());
        Assert.StartsWith("urn:durable-pipelines:problem:", body["type"]!.GetValue<string>(), StringComparison.Ordinal);
        return body;
    }

    /// <summary>The <c>errors</c> of a 400 as <c>path: message</c> texts, in order.</summary>
    public static async Task<List<string>> ErrorsAsync(HttpResponseMessage response)
    {
        var body = await IsAsync(response, HttpStatusCode.BadRequest);
        return [.. body["errors"]!.AsArray().Select(e => $"{e!["path"]!.GetValue<string>()}: {e["message"]!.GetValue<string>()}")];
    }

    /// <summary>The JSON body of a successful answer.</summary>
    public static async Task<JsonObject> OkAsync(HttpResponseMessage response, HttpStatusCode status = HttpStatusCode.OK)
    {
        ArgumentNullException.ThrowIfNull(response);
        Assert.True(response.StatusCode == status, $"expected {(int)status}, got {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        return (await response.Content.ReadFromJsonAsync<JsonObject>())!;
    }
}
