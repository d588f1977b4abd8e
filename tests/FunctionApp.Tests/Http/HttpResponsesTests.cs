using System.Net;
using System.Text.Json.Nodes;
using DurablePipelines.Api;
using DurablePipelines.FunctionApp.Http;
using DurablePipelines.FunctionApp.Tests.TestDoubles;

namespace DurablePipelines.FunctionApp.Tests.Http;

public class HttpResponsesTests
{
    [Theory]
    [InlineData(202, "application/json", "/api/runs/r1")]
    [InlineData(400, "application/problem+json", null)]
    [InlineData(404, "application/problem+json", null)]
    [InlineData(409, "application/problem+json", "/api/runs/r1")]
    [InlineData(413, "application/problem+json", null)]
    public async Task WriteAsync_WritesStatusContentTypeLocationAndBody(int status, string contentType, string? location)
    {
        var request = WorkerObjects.Request("POST", "https://app.example.test/api/pipelines/orders/runs");
        var body = new JsonObject { ["status"] = status, ["runId"] = "r1" };

        var response = (TestHttpResponseData)await HttpResponses.WriteAsync(request, new ApiResponse(status, body, contentType, location));

        Assert.Equal((HttpStatusCode)status, response.StatusCode);
        Assert.Equal($"{contentType}; charset=utf-8", response.Header("Content-Type"));
        Assert.Equal(location, response.Header("Location"));
        Assert.Equal("r1", JsonNode.Parse(response.ReadBody())!["runId"]!.GetValue<string>());
    }

    [Fact]
    public async Task WriteAsync_Unavailable_WritesRetryAfterInSeconds()
    {
        var request = WorkerObjects.Request("GET", "https://app.example.test/api/runs/r1");

        var response = (TestHttpResponseData)await HttpResponses.WriteAsync(request, Problems.Unavailable("storage did not answer within 2 s"));

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Equal("5", response.Header("Retry-After"));
        Assert.Equal("application/problem+json; charset=utf-8", response.Header("Content-Type"));
    }

    [Fact]
    public async Task WriteAsync_NoBody_WritesNothing()
    {
        var request = WorkerObjects.Request("POST", "https://app.example.test/api/runs/r1/cancel");

        var response = (TestHttpResponseData)await HttpResponses.WriteAsync(request, new ApiResponse(204, null));

        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        Assert.Null(response.Header("Content-Type"));
        Assert.Equal(string.Empty, response.ReadBody());
    }

    [Fact]
    public async Task WriteBytesAsync_WritesTheAssetWithItsContentType()
    {
        var request = WorkerObjects.Request("GET", "https://app.example.test/api/dashboard/dashboard.css");

        var response = (TestHttpResponseData)await HttpResponses.WriteBytesAsync(request, "h1 { color: red }"u8.ToArray(), "text/css; charset=utf-8");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/css; charset=utf-8", response.Header("Content-Type"));
        Assert.Equal("h1 { color: red }", response.ReadBody());
    }

    [Fact]
    public async Task RedirectAsync_Answers301WithTheLocation()
    {
        var request = WorkerObjects.Request("GET", "https://app.example.test/api/dashboard");

        var response = (TestHttpResponseData)await HttpResponses.RedirectAsync(request, "/api/dashboard/");

        Assert.Equal(HttpStatusCode.MovedPermanently, response.StatusCode);
        Assert.Equal("/api/dashboard/", response.Header("Location"));
    }
}
