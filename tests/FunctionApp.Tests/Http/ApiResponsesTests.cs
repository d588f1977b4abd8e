using System.Text.Json.Nodes;
using DurablePipelines.Api;
using DurablePipelines.FunctionApp.Http;

namespace DurablePipelines.FunctionApp.Tests.Http;

public class ApiResponsesTests
{
    [Fact]
    public void WithDurableLinks_AddsDurableLinksNextToOurs_KeepingOurs()
    {
        var start = new ApiResponse(202, new JsonObject { ["runId"] = "r1", ["id"] = "ours" }, "application/json", "/api/runs/r1");
        var links = new JsonObject { ["id"] = "r1", ["statusQueryGetUri"] = "https://app/runtime/webhooks/durabletask/instances/r1" };

        var merged = ApiResponses.WithDurableLinks(start, links);

        var body = merged.Body!.AsObject();
        Assert.Equal("ours", body["id"]!.GetValue<string>());
        Assert.Equal("https://app/runtime/webhooks/durabletask/instances/r1", body["statusQueryGetUri"]!.GetValue<string>());
        Assert.Equal(202, merged.StatusCode);
        Assert.Equal("/api/runs/r1", merged.Location);
        Assert.False(start.Body!.AsObject().ContainsKey("statusQueryGetUri"));
    }

    [Fact]
    public void RunIdOf_ReadsTheBodysRunId()
    {
        Assert.Equal("r1", ApiResponses.RunIdOf(new ApiResponse(202, new JsonObject { ["runId"] = "r1" })));
        Assert.Null(ApiResponses.RunIdOf(new ApiResponse(202, new JsonArray())));
        Assert.Null(ApiResponses.RunIdOf(new ApiResponse(202, null)));
    }

    [Fact]
    public void Unauthorized_Is401ProblemJsonNamingTheHeader()
    {
        var answer = ApiResponses.Unauthorized();

        Assert.Equal(401, answer.StatusCode);
        Assert.Equal("application/problem+json", answer.ContentType);
        Assert.Contains("x-functions-key", answer.Body!["detail"]!.GetValue<string>(), StringComparison.Ordinal);
    }
}
