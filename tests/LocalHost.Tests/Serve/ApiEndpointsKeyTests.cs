using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using DurablePipelines.TestSupport.Azurite;

namespace DurablePipelines.LocalHost.Tests.Serve;

/// <summary>The API key, unknown routes and malformed requests on the real host over Azurite.</summary>
[Collection(AzuriteFixture.Collection)]
public sealed class ApiEndpointsKeyTests(AzuriteFixture azurite) : IAsyncLifetime
{
    private const string Key = "s3cret-key";

    private static readonly (HttpMethod Method, string Url, HttpStatusCode WithKey)[] s_routes =
    [
        (HttpMethod.Post, "api/pipelines/hello/runs", HttpStatusCode.Accepted),
        (HttpMethod.Get, "api/pipelines", HttpStatusCode.OK),
        (HttpMethod.Get, "api/pipelines/hello", HttpStatusCode.OK),
        (HttpMethod.Get, "api/runs", HttpStatusCode.OK),
        (HttpMethod.Get, "api/runs/key-1", HttpStatusCode.OK),
        (HttpMethod.Get, "api/runs/key-1/log", HttpStatusCode.OK),
        (HttpMethod.Post, "api/runs/key-1/cancel", HttpStatusCode.Conflict),
        (HttpMethod.Post, "api/runs/key-1/suspend", HttpStatusCode.Conflict),
        (HttpMethod.Post, "api/runs/key-1/resume", HttpStatusCode.Conflict),
        (HttpMethod.Post, "api/runs/key-1/events/go", HttpStatusCode.Conflict),
        (HttpMethod.Post, "api/runs/key-1/results/0/say/0/skip", HttpStatusCode.Conflict),
        (HttpMethod.Get, "api/nothing/here", HttpStatusCode.NotFound),
    ];

    private ServeApp _serve = null!;

    public async Task InitializeAsync() => _serve = await ServeApp.StartAsync(azurite, new Dictionary<string, string?> { ["Pipelines:ApiKey"] = Key });

    public async Task DisposeAsync() => await _serve.DisposeAsync();

    [Fact]
    public async Task EveryApiRoute_ApiKeySetButNotSent_401Problem()
    {
        foreach (var (method, url, _) in s_routes)
        {
            foreach (var key in new string?[] { null, "wrong", Key + "x", string.Empty })
            {
                using var request = new HttpRequestMessage(method, url) { Content = method == HttpMethod.Post ? new StringContent("{}", Encoding.UTF8, "application/json") : null };
                if (key is not null)
                {
                    request.Headers.Add("x-functions-key", key);
                }

                using var response = await _serve.Http.SendAsync(request);

                var body = await ProblemAssert.IsAsync(response, HttpStatusCode.Unauthorized);
                Assert.Equal("send the key in the x-functions-key header", body["detail"]!.GetValue<string>());
            }
        }

        using var runs = await SendAsync(HttpMethod.Get, "api/runs", Key);
        Assert.Empty((await ProblemAssert.OkAsync(runs))["runs"]!.AsArray());
    }

    [Fact]
    public async Task EveryApiRoute_WithTheKeyHeaderOrCode_Answers()
    {
        using (var start = await SendAsync(HttpMethod.Post, "api/pipelines/hello/runs", Key, """{ "runId": "key-1" }"""))
        {
            Assert.Equal(HttpStatusCode.Accepted, start.StatusCode);
        }

        await WaitWithKeyAsync("key-1");
        foreach (var (method, url, expected) in s_routes)
        {
            using var response = await SendAsync(method, url, Key);

            Assert.True(response.StatusCode == expected, $"{method} {url}: expected {(int)expected}, got {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
        }

        using var byCode = await _serve.Http.GetAsync($"api/runs/key-1?code={Key}");
        Assert.Equal(HttpStatusCode.OK, byCode.StatusCode);
    }

    [Fact]
    public async Task Dashboard_ApiKeySet_ServedWithoutIt()
    {
        using var response = await _serve.Http.GetAsync(string.Empty);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
    }

    [Theory]
    [InlineData("GET", "api/nothing")]
    [InlineData("DELETE", "api/runs/key-1")]
    [InlineData("PUT", "api/pipelines/hello/runs")]
    [InlineData("GET", "api/pipelines/hello/runs")]
    [InlineData("POST", "api/runs")]
    [InlineData("GET", "api/runs/key-1/cancel")]
    [InlineData("GET", "api")]
    [InlineData("POST", "api/")]
    public async Task UnknownApiRoute_404Problem(string method, string url)
    {
        using var response = await SendAsync(new HttpMethod(method), url, Key);

        var body = await ProblemAssert.IsAsync(response, HttpStatusCode.NotFound);
        Assert.Equal($"no route {method} /{url}", body["detail"]!.GetValue<string>());
    }

    [Fact]
    public async Task MalformedRequests_NeverA500()
    {
        var requests = new (HttpMethod Method, string Url, string? Body, string ContentType)[]
        {
            (HttpMethod.Post, "api/pipelines/hello/runs", "{\"input\": {\"a\": [1, 2,}}", "application/json"),
            (HttpMethod.Post, "api/pipelines/hello/runs", "{\"runId\": \"" + new string('x', 200_000) + "\"}", "application/json"),
            (HttpMethod.Post, "api/pipelines/hello/runs", "{\"runId\": [\"a\"], \"input\": null}", "application/xml"),
            (HttpMethod.Post, "api/pipelines/hello/runs", new string('[', 5000) + new string(']', 5000), "application/json"),
            (HttpMethod.Post, "api/pipelines/" + new string('p', 5000) + "/runs", "{}", "application/json"),
            (HttpMethod.Post, "api/runs/" + new string('r', 5000) + "/cancel", null, "application/json"),
            (HttpMethod.Get, "api/runs/" + new string('r', 5000) + "/log", null, "application/json"),
            (HttpMethod.Get, "api/runs?top=" + new string('9', 2000) + "&status=" + new string('s', 2000), null, "application/json"),
            (HttpMethod.Get, "api/runs/a%2F..%2F..%2Fb", null, "application/json"),
        };
        foreach (var (method, url, body, contentType) in requests)
        {
            using var response = await SendAsync(method, url, Key, body, contentType);

            var what = $"{method} {url[..Math.Min(60, url.Length)]}: {(int)response.StatusCode} {response.Content.Headers.ContentType} {await response.Content.ReadAsStringAsync()}";
            Assert.True((int)response.StatusCode is >= 400 and < 500 && response.Content.Headers.ContentType?.MediaType == "application/problem+json", what);
        }

        // Kestrel refuses these itself, before any middleware runs: a NUL in the path, a request line over 8 KB.
        using var nul = await SendAsync(HttpMethod.Get, "api/runs/%00", Key);
        Assert.Equal(HttpStatusCode.BadRequest, nul.StatusCode);
        using var tooLong = await SendAsync(HttpMethod.Get, "api/runs/" + new string('r', 10_000), Key);
        Assert.Equal(HttpStatusCode.RequestUriTooLong, tooLong.StatusCode);
    }

    private async Task<HttpResponseMessage> SendAsync(HttpMethod method, string url, string? key, string? body = null, string contentType = "application/json")
    {
        using var request = new HttpRequestMessage(method, url);
        if (body is not null || method == HttpMethod.Post)
        {
            request.Content = new StringContent(body ?? "{}", Encoding.UTF8);
            request.Content.Headers.ContentType = new(contentType);
        }

        if (key is not null)
        {
            request.Headers.Add("x-functions-key", key);
        }

        return await _serve.Http.SendAsync(request);
    }

    private async Task WaitWithKeyAsync(string runId)
    {
        for (var i = 0; i < 200; i++)
        {
            using var response = await SendAsync(HttpMethod.Get, $"api/runs/{runId}", Key);
            if (JsonNode.Parse(await response.Content.ReadAsStringAsync())?["status"]?.GetValue<string>() == "Succeeded")
            {
                return;
            }

            await Task.Delay(50);
        }

        throw new TimeoutException($"run '{runId}' did not succeed");
    }
}
