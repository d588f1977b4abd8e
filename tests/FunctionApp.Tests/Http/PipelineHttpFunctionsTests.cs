using System.Net;
using System.Text.Json.Nodes;
using DurablePipelines.FunctionApp.Http;
using DurablePipelines.FunctionApp.Tests.TestDoubles;
using DurablePipelines.Records;
using Microsoft.Extensions.Logging.Abstractions;
using Moq;

namespace DurablePipelines.FunctionApp.Tests.Http;

public sealed class PipelineHttpFunctionsTests : IDisposable
{
    private readonly PipelineApiHost _host = new();

    private PipelineHttpFunctions Sut() => new(_host.Apis, NullLogger<PipelineHttpFunctions>.Instance);

    public void Dispose() => _host.Dispose();

    [Fact]
    public async Task StartPipelineHttp_Valid_Answers202WithRunUrlsAndDurableLinks_AndSchedulesTheRunId()
    {
        var request = WorkerObjects.Request("POST", "https://app.example.test/api/pipelines/orders/runs", """{ "input": { "region": "eu" }, "runId": "orders-eu-1" }""");

        var response = (TestHttpResponseData)await Sut().StartPipelineHttp(request, PipelineApiHost.Pipeline, _host.Client.Object);

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        Assert.Equal("/api/runs/orders-eu-1", response.Header("Location"));
        var body = JsonNode.Parse(response.ReadBody())!.AsObject();
        Assert.Equal("orders-eu-1", body["runId"]!.GetValue<string>());
        Assert.Equal("https://app.example.test/runtime/webhooks/durabletask/instances/orders-eu-1", body["statusQueryGetUri"]!.GetValue<string>());
        Assert.Equal("orders-eu-1", Assert.Single(_host.Scheduled));
    }

    [Fact]
    public async Task StartPipelineHttp_UnknownPipeline_Answers404AndSchedulesNothing()
    {
        var request = WorkerObjects.Request("POST", "https://app.example.test/api/pipelines/nope/runs", """{ "input": {} }""");

        var response = (TestHttpResponseData)await Sut().StartPipelineHttp(request, "nope", _host.Client.Object);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("application/problem+json; charset=utf-8", response.Header("Content-Type"));
        Assert.Empty(_host.Scheduled);
    }

    [Fact]
    public async Task StartPipelineHttp_BadJson_Answers400ProblemJson()
    {
        var request = WorkerObjects.Request("POST", "https://app.example.test/api/pipelines/orders/runs", "{ not json");

        var response = (TestHttpResponseData)await Sut().StartPipelineHttp(request, PipelineApiHost.Pipeline, _host.Client.Object);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json; charset=utf-8", response.Header("Content-Type"));
        Assert.Empty(_host.Scheduled);
    }

    [Fact]
    public async Task StartPipelineHttp_RunIdActive_Answers409()
    {
        const string body = """{ "input": {}, "runId": "orders-twice" }""";
        await Sut().StartPipelineHttp(WorkerObjects.Request("POST", "https://app.example.test/api/pipelines/orders/runs", body), PipelineApiHost.Pipeline, _host.Client.Object);

        var second = (TestHttpResponseData)await Sut().StartPipelineHttp(
            WorkerObjects.Request("POST", "https://app.example.test/api/pipelines/orders/runs", body), PipelineApiHost.Pipeline, _host.Client.Object);

        Assert.Equal(HttpStatusCode.Conflict, second.StatusCode);
        Assert.Single(_host.Scheduled);
    }

    [Fact]
    public async Task RerunRun_FinishedRun_Answers202WithTheNewRunAndDurableLinks()
    {
        await Sut().StartPipelineHttp(WorkerObjects.Request("POST", "https://app.example.test/api/pipelines/orders/runs", """{ "runId": "orders-failed" }"""), PipelineApiHost.Pipeline, _host.Client.Object);
        var record = await _host.Store.GetAsync("orders-failed", default);
        await _host.Store.SaveAsync(record! with { Status = RunStatus.Failed }, default);

        var response = (TestHttpResponseData)await Sut().RerunRun(
            WorkerObjects.Request("POST", "https://app.example.test/api/runs/orders-failed/rerun", """{ "runId": "orders-again" }"""), "orders-failed", _host.Client.Object);

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        Assert.Equal("/api/runs/orders-again", response.Header("Location"));
        var body = JsonNode.Parse(response.ReadBody())!.AsObject();
        Assert.Equal("orders-failed", body["rerunOf"]!.GetValue<string>());
        Assert.Equal("https://app.example.test/runtime/webhooks/durabletask/instances/orders-again", body["statusQueryGetUri"]!.GetValue<string>());
        Assert.Equal(["orders-failed", "orders-again"], _host.Scheduled);
        Assert.Equal("orders-failed", (await _host.Store.GetAsync("orders-again", default))!.RerunOf);
    }

    [Fact]
    public async Task RerunRun_UnknownRun_Answers404()
    {
        var response = (TestHttpResponseData)await Sut().RerunRun(
            WorkerObjects.Request("POST", "https://app.example.test/api/runs/nope/rerun", string.Empty), "nope", _host.Client.Object);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Empty(_host.Scheduled);
    }

    [Fact]
    public async Task RerunRun_ActiveRun_Answers409()
    {
        await Sut().StartPipelineHttp(WorkerObjects.Request("POST", "https://app.example.test/api/pipelines/orders/runs", """{ "runId": "orders-busy" }"""), PipelineApiHost.Pipeline, _host.Client.Object);

        var response = (TestHttpResponseData)await Sut().RerunRun(
            WorkerObjects.Request("POST", "https://app.example.test/api/runs/orders-busy/rerun", string.Empty), "orders-busy", _host.Client.Object);

        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        Assert.Single(_host.Scheduled);
    }

    [Fact]
    public async Task GetRun_RunStoreUnavailable_Answers503ProblemWithRetryAfter()
    {
        var store = new Mock<IRunStore>();
        store.Setup(s => s.GetAsync("orders-down", It.IsAny<CancellationToken>())).ThrowsAsync(new RunStoreUnavailableException("storage did not answer within 2 s"));
        using var host = new PipelineApiHost(store.Object);
        var functions = new PipelineHttpFunctions(host.Apis, NullLogger<PipelineHttpFunctions>.Instance);

        var response = (TestHttpResponseData)await functions.GetRun(
            WorkerObjects.Request("GET", "https://app.example.test/api/runs/orders-down"), "orders-down", host.Client.Object);

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Equal("5", response.Header("Retry-After"));
        Assert.Equal("application/problem+json; charset=utf-8", response.Header("Content-Type"));
        var body = JsonNode.Parse(response.ReadBody())!;
        Assert.Equal(("urn:durable-pipelines:problem:storage-unavailable", "storage did not answer within 2 s"), (body["type"]!.GetValue<string>(), body["detail"]!.GetValue<string>()));
    }

    [Fact]
    public async Task GetRun_AfterStart_AnswersTheRecord()
    {
        await Sut().StartPipelineHttp(
            WorkerObjects.Request("POST", "https://app.example.test/api/pipelines/orders/runs", """{ "runId": "orders-read" }"""), PipelineApiHost.Pipeline, _host.Client.Object);

        var response = (TestHttpResponseData)await Sut().GetRun(
            WorkerObjects.Request("GET", "https://app.example.test/api/runs/orders-read"), "orders-read", _host.Client.Object);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("orders", JsonNode.Parse(response.ReadBody())!["pipeline"]!.GetValue<string>());
    }

    [Fact]
    public async Task SuspendRunAndResumeRun_UnknownRun_Answer404()
    {
        var suspend = (TestHttpResponseData)await Sut().SuspendRun(
            WorkerObjects.Request("POST", "https://app.example.test/api/runs/none/suspend"), "none", _host.Client.Object);
        var resume = (TestHttpResponseData)await Sut().ResumeRun(
            WorkerObjects.Request("POST", "https://app.example.test/api/runs/none/resume"), "none", _host.Client.Object);

        Assert.Equal((HttpStatusCode.NotFound, HttpStatusCode.NotFound), (suspend.StatusCode, resume.StatusCode));
    }

    [Fact]
    public async Task ResumeRun_RunNotSuspended_Answers409()
    {
        await Sut().StartPipelineHttp(
            WorkerObjects.Request("POST", "https://app.example.test/api/pipelines/orders/runs", """{ "runId": "orders-resume" }"""), PipelineApiHost.Pipeline, _host.Client.Object);

        var response = (TestHttpResponseData)await Sut().ResumeRun(
            WorkerObjects.Request("POST", "https://app.example.test/api/runs/orders-resume/resume"), "orders-resume", _host.Client.Object);

        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        Assert.Equal("run 'orders-resume' is not suspended", JsonNode.Parse(response.ReadBody())!["detail"]!.GetValue<string>());
    }

    [Fact]
    public async Task GetRun_Unknown_Answers404()
    {
        var response = (TestHttpResponseData)await Sut().GetRun(
            WorkerObjects.Request("GET", "https://app.example.test/api/runs/none"), "none", _host.Client.Object);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Fact]
    public async Task ListPipelines_AnswersTheCatalog()
    {
        var response = (TestHttpResponseData)await Sut().ListPipelines(
            WorkerObjects.Request("GET", "https://app.example.test/api/pipelines"), _host.Client.Object);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains(PipelineApiHost.Pipeline, response.ReadBody(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Dashboard_WithoutTrailingSlash_RedirectsSoRelativeAssetsResolve()
    {
        var response = (TestHttpResponseData)await Sut().Dashboard(
            WorkerObjects.Request("GET", "https://app.example.test/api/dashboard"), null);

        Assert.Equal(HttpStatusCode.MovedPermanently, response.StatusCode);
        Assert.Equal("/api/dashboard/", response.Header("Location"));
    }

    [Theory]
    [InlineData(null, "text/html; charset=utf-8")]
    [InlineData("dashboard.js", "text/javascript; charset=utf-8")]
    [InlineData("dashboard.css", "text/css; charset=utf-8")]
    public async Task Dashboard_ServesTheEmbeddedFiles(string? file, string contentType)
    {
        var response = (TestHttpResponseData)await Sut().Dashboard(
            WorkerObjects.Request("GET", "https://app.example.test/api/dashboard/" + file), file);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(contentType, response.Header("Content-Type"));
    }
}
