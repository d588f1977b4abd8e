using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json.Nodes;
using DurablePipelines.TestSupport.Azurite;

namespace DurablePipelines.LocalHost.Tests.Serve;

/// <summary>
/// What a hostile client found against <c>dp serve</c>, on the real host over Azurite: bodies that passed parsing
/// and then answered 500 with an empty body, Kestrel's own rejections and unknown routes, which answered no body.
/// Each answer now is a 4xx problem that names the problem.
/// </summary>
[Collection(AzuriteFixture.Collection)]
public sealed class ApiEndpointsHostileTests(AzuriteFixture azurite) : IAsyncLifetime
{
    private ServeApp _serve = null!;

    public async Task InitializeAsync() => _serve = await ServeApp.StartAsync(azurite);

    public async Task DisposeAsync() => await _serve.DisposeAsync();

    [Theory]
    [InlineData("""{"input":{},"input":{"a":1}}""", "$.input: the key 'input' appears more than once in this object")]
    [InlineData("""{"input":{"a":1},"runId":"\ud800x"}""", "$.runId: not valid UTF-16: \\ud800 is an unpaired surrogate")]
    [InlineData("""{"input":{"\ud800":1}}""", "$.input['\\ud800']: the key is not valid UTF-16: \\ud800 is an unpaired surrogate")]
    public async Task StartRun_BodiesThatAnswered500_400NamingTheProblemAndNoRun(string body, string error)
    {
        using var response = await _serve.StartAsync("hello", body);

        Assert.Equal([error], await ProblemAssert.ErrorsAsync(response));
        using var runs = await _serve.Http.GetAsync("api/runs");
        Assert.Empty((await ProblemAssert.OkAsync(runs))["runs"]!.AsArray());
    }

    [Fact]
    public async Task StartRun_Input63LevelsDeep_400WhereItPassesTheLimit()
    {
        var input = string.Concat(Enumerable.Repeat("{\"a\":", 62)) + "{}" + new string('}', 62);

        using var response = await _serve.StartAsync("hello", $$"""{"input":{{input}}}""");

        Assert.Equal(
            [$"$.input{string.Concat(Enumerable.Repeat(".a", 57))}: nests deeper than 57 levels, the limit for a run's input"],
            await ProblemAssert.ErrorsAsync(response));
    }

    [Fact]
    public async Task StartRun_InputAtTheDepthLimit_202AndAnEchoOfItFailsItsTaskNotTheRecord()
    {
        var input = string.Concat(Enumerable.Repeat("{\"a\":", 56)) + "{}" + new string('}', 56);

        using var response = await _serve.StartAsync("hello", $$"""{"input":{{input}},"runId":"deep-1"}""");

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var run = await _serve.WaitForRunAsync("deep-1");
        Assert.NotNull(run.Input);

        // The echo task's output holds the input a level down: one past the limit for an output, so the task
        // fails with the reason instead of the record failing to save.
        Assert.Equal(Records.RunStatus.Failed, run.Status);
        Assert.Contains("nests deeper than 57 levels", run.PipelineResults[0].TaskExecutions[0].TaskResults[0].Error!.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("GET /api/runs/%00 HTTP/1.1")]
    [InlineData("GET /api/runs/a%00b HTTP/1.1")]
    [InlineData("NOT A REQUEST LINE")]
    public async Task RawRequest_KestrelRejectsIt_400ProblemWithTheReason(string requestLine)
    {
        var (status, headers, body) = await RawAsync($"{requestLine}\r\nHost: localhost\r\n\r\n");

        Assert.Equal(400, status);
        Assert.Contains("Content-Type: application/problem+json", headers, StringComparison.OrdinalIgnoreCase);
        var problem = JsonNode.Parse(body)!;
        Assert.Equal(400, problem["status"]!.GetValue<int>());
        Assert.Equal("urn:durable-pipelines:problem:bad-request", problem["type"]!.GetValue<string>());
        Assert.StartsWith("Invalid request", problem["detail"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task RawRequest_HeaderKestrelRejects_400Problem()
    {
        var (status, headers, body) = await RawAsync("GET /api/runs HTTP/1.1\r\nHost: localhost\r\nx-functions-key: \u00ff\u0001\r\n\r\n");

        Assert.Equal(400, status);
        Assert.Contains("Content-Type: application/problem+json", headers, StringComparison.OrdinalIgnoreCase);
        Assert.False(string.IsNullOrWhiteSpace(JsonNode.Parse(body)!["detail"]!.GetValue<string>()));
    }

    [Fact]
    public async Task RawRequest_AfterAGoodRequestOnTheSameConnection_BothAnswersIntact()
    {
        var (status, _, body) = await RawAsync("GET /api/pipelines/hello HTTP/1.1\r\nHost: localhost\r\n\r\nGET /api/runs/%00 HTTP/1.1\r\nHost: localhost\r\n\r\n", answers: 2);

        Assert.Equal(200, status);
        Assert.Contains("\"hello\"", body, StringComparison.Ordinal);
        Assert.Contains("HTTP/1.1 400 Bad Request", body, StringComparison.Ordinal);
        Assert.Contains("application/problem+json", body, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("GET", "nope/deeper/path", 404, "no route GET /nope/deeper/path")]
    [InlineData("GET", "missing.txt", 404, "no route GET /missing.txt")]
    [InlineData("POST", "", 405, "POST is not allowed on / (allowed: GET)")]
    [InlineData("DELETE", "api/runs/r-1", 404, "no route DELETE /api/runs/r-1")]
    [InlineData("GET", "api/nothing/here", 404, "no route GET /api/nothing/here")]
    public async Task UnknownRoute_AnyMethod_ProblemNamingTheRoute(string method, string path, int status, string detail)
    {
        using var request = new HttpRequestMessage(new HttpMethod(method), path);

        using var response = await _serve.Http.SendAsync(request);

        var body = await ProblemAssert.IsAsync(response, (HttpStatusCode)status);
        Assert.Equal(detail, body["detail"]!.GetValue<string>());
    }

    /// <summary>Sends raw bytes (Latin-1) on a new connection; the first answer's status and headers, and all that was read.</summary>
    private async Task<(int Status, string Headers, string Body)> RawAsync(string request, int answers = 1)
    {
        using var client = new TcpClient();
        await client.ConnectAsync(_serve.BaseAddress.Host, _serve.BaseAddress.Port);
        var stream = client.GetStream();
        await stream.WriteAsync(Encoding.Latin1.GetBytes(request));
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        var received = new StringBuilder();
        var buffer = new byte[8192];
        try
        {
            int read;
            while ((read = await stream.ReadAsync(buffer, timeout.Token)) > 0)
            {
                received.Append(Encoding.UTF8.GetString(buffer, 0, read));
            }
        }
        catch (IOException)
        {
            // The host closes the connection after a rejection; what arrived before counts.
        }

        var text = received.ToString();
        var headerEnd = text.IndexOf("\r\n\r\n", StringComparison.Ordinal);
        Assert.True(headerEnd > 0, $"no answer: '{text}'");
        var headers = text[..headerEnd];
        var status = int.Parse(headers.Split(' ')[1], System.Globalization.CultureInfo.InvariantCulture);
        var body = text[(headerEnd + 4)..];
        return (status, headers, answers == 1 ? body : text);
    }
}
