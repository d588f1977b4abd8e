using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json.Nodes;
using DurablePipelines.Handlers;
using DurablePipelines.Handlers.BuiltIn;
using DurablePipelines.Hosting;
using DurablePipelines.TestSupport.Time;
using Microsoft.Extensions.DependencyInjection;

namespace DurablePipelines.Tests.Handlers;

/// <summary>The <c>http</c> handler against a real HTTP server on loopback.</summary>
public sealed class HttpTaskTests : IDisposable
{
    private readonly HttpListener _server = new();
    private readonly int _port;
    private readonly CancellationTokenSource _stop = new();
    private readonly List<string> _bodies = [];
    private readonly TaskCompletionSource _hanging = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public HttpTaskTests()
    {
        _port = FreePort();
        _server.Prefixes.Add($"http://127.0.0.1:{_port}/");
        _server.Start();
        _ = ServeAsync();
    }

    private async Task ServeAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            HttpListenerContext context;
            try
            {
                context = await _server.GetContextAsync();
            }
            catch (Exception) when (_stop.IsCancellationRequested)
            {
                return;
            }

            using var reader = new StreamReader(context.Request.InputStream);
            var body = await reader.ReadToEndAsync();
            lock (_bodies)
            {
                _bodies.Add($"{context.Request.HttpMethod} {context.Request.Url!.AbsolutePath} {body}");
            }

            var response = context.Response;
            switch (context.Request.Url!.AbsolutePath)
            {
                case "/orders":
                    await Write(response, 200, "application/json", """{"orders":[1,2,3]}""");
                    break;
                case "/text":
                    await Write(response, 200, "text/plain", "plain words");
                    break;
                case "/broken":
                    await Write(response, 503, "text/plain", "down for maintenance");
                    break;
                case "/redirect-away":
                    response.StatusCode = 302;
                    response.RedirectLocation = "http://elsewhere.invalid/steal";
                    response.Close();
                    break;
                case "/hang":
                    // Answers nothing until the test ends, as a server that hangs.
                    _hanging.TrySetResult();
                    try
                    {
                        await Task.Delay(Timeout.Infinite, _stop.Token);
                    }
                    catch (OperationCanceledException)
                    {
                        // The test is over.
                    }

                    response.Abort();
                    break;
                case "/redirect-home":
                    response.StatusCode = 302;
                    response.RedirectLocation = "/orders";
                    response.Close();
                    break;
                default:
                    await Write(response, 404, "text/plain", "no");
                    break;
            }
        }
    }

    private static async Task Write(HttpListenerResponse response, int status, string type, string text)
    {
        response.StatusCode = status;
        response.ContentType = type;
        var bytes = Encoding.UTF8.GetBytes(text);
        await response.OutputStream.WriteAsync(bytes);
        response.Close();
    }

    private static int FreePort()
    {
        using var socket = new TcpListener(IPAddress.Loopback, 0);
        socket.Start();
        return ((IPEndPoint)socket.LocalEndpoint).Port;
    }

    private static IPipelineTask Handler(Action<HttpTaskOptions> configure, TimeProvider? time = null)
    {
        var services = new ServiceCollection().AddLogging().AddSingleton(time ?? TimeProvider.System).AddDurablePipelines(o => configure(o.Http)).BuildServiceProvider();
        return services.GetRequiredService<HandlerRegistry>().GetTask("http");
    }

    private static TaskContext Context(JsonObject config) => new()
    {
        RunId = "run-1",
        Pipeline = "p",
        Task = "call",
        Config = config,
        Input = new JsonObject { ["date"] = "2026-11-23" },
    };

    private JsonObject Config(string path, string? method = null)
    {
        var config = new JsonObject { ["url"] = $"http://127.0.0.1:{_port}{path}" };
        if (method is not null)
        {
            config["method"] = method;
        }

        return config;
    }

    private static Action<HttpTaskOptions> Allowed(bool privateNetworks = true) => o =>
    {
        o.AllowedHosts.Add("127.0.0.1");
        o.AllowPrivateNetworks = privateNetworks;
    };

    [Fact]
    public async Task ExecuteAsync_AllowedHost_ReturnsTheJsonResponse()
    {
        var output = await Handler(Allowed()).ExecuteAsync(Context(Config("/orders")), CancellationToken.None);

        Assert.Equal(3, output!["orders"]!.AsArray().Count);
    }

    [Fact]
    public async Task ExecuteAsync_Post_SendsTheTaskInputAsJson()
    {
        await Handler(Allowed()).ExecuteAsync(Context(Config("/orders", "POST")), CancellationToken.None);

        Assert.Contains(_bodies, b => b.StartsWith("POST /orders {", StringComparison.Ordinal) && b.Contains("\"date\":\"2026-11-23\"", StringComparison.Ordinal));
    }

    [Fact]
    public async Task ExecuteAsync_TextResponse_IsWrapped()
    {
        var output = await Handler(Allowed()).ExecuteAsync(Context(Config("/text")), CancellationToken.None);

        Assert.Equal("plain words", output!["text"]!.GetValue<string>());
    }

    [Fact]
    public async Task ExecuteAsync_ErrorStatus_FailsWithTheStatusAndAnExcerpt()
    {
        var ex = await Assert.ThrowsAsync<HttpRequestException>(() => Handler(Allowed()).ExecuteAsync(Context(Config("/broken")), CancellationToken.None));

        Assert.Equal(HttpStatusCode.ServiceUnavailable, ex.StatusCode);
        Assert.Contains("answered 503", ex.Message, StringComparison.Ordinal);
        Assert.Contains("down for maintenance", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ExecuteAsync_HostNotOnTheAllowList_IsRefusedBeforeAnyRequest()
    {
        var ex = await Assert.ThrowsAsync<HttpRequestException>(() => Handler(_ => { }).ExecuteAsync(Context(Config("/orders")), CancellationToken.None));

        Assert.Equal("host '127.0.0.1' is not in Pipelines:Http:AllowedHosts", ex.Message);
        Assert.Empty(_bodies);
    }

    [Fact]
    public async Task ExecuteAsync_LoopbackWithoutAllowPrivateNetworks_IsRefusedAtConnect()
    {
        var ex = await Assert.ThrowsAnyAsync<HttpRequestException>(() => Handler(Allowed(privateNetworks: false)).ExecuteAsync(Context(Config("/orders")), CancellationToken.None));

        Assert.Contains("loopback, link-local or private addresses", ex.ToString(), StringComparison.Ordinal);
        Assert.Empty(_bodies);
    }

    [Fact]
    public async Task ExecuteAsync_RedirectToAHostNotAllowed_IsRefused()
    {
        var ex = await Assert.ThrowsAsync<HttpRequestException>(() => Handler(Allowed()).ExecuteAsync(Context(Config("/redirect-away")), CancellationToken.None));

        Assert.Equal("host 'elsewhere.invalid' is not in Pipelines:Http:AllowedHosts", ex.Message);
    }

    [Fact]
    public async Task ExecuteAsync_RedirectOnTheSameAllowedHost_IsFollowed()
    {
        var output = await Handler(Allowed()).ExecuteAsync(Context(Config("/redirect-home")), CancellationToken.None);

        Assert.Equal(3, output!["orders"]!.AsArray().Count);
    }

    [Fact]
    public async Task ExecuteAsync_ServerNeverAnswers_CancelledExactlyWhenTheRequestTimeoutPassesOnTheClock()
    {
        var clock = new TestClock();
        var handler = Handler(o =>
        {
            Allowed()(o);
            o.RequestTimeout = TimeSpan.FromSeconds(30);
        }, clock);

        var call = handler.ExecuteAsync(Context(Config("/hang")), CancellationToken.None);
        await _hanging.Task.WaitAsync(TestClock.WaitLimit);
        clock.Advance(TimeSpan.FromSeconds(30) - TimeSpan.FromTicks(1));
        Assert.Equal(1, clock.WaitingTimers);
        clock.Advance(TimeSpan.FromTicks(1));

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => call.WaitAsync(TestClock.WaitLimit));
    }

    [Theory]
    [InlineData("127.0.0.1", true)]
    [InlineData("10.1.2.3", true)]
    [InlineData("172.16.0.1", true)]
    [InlineData("192.168.1.1", true)]
    [InlineData("169.254.169.254", true)]
    [InlineData("::1", true)]
    [InlineData("fe80::1", true)]
    [InlineData("fd00::1", true)]
    [InlineData("::ffff:127.0.0.1", true)]
    [InlineData("0.0.0.0", true)]
    [InlineData("8.8.8.8", false)]
    [InlineData("2001:4860:4860::8888", false)]
    public void IsPrivate_Address_IsClassified(string address, bool expected) =>
        Assert.Equal(expected, HttpTask.IsPrivate(IPAddress.Parse(address)));

    [Fact]
    public void ValidateConfig_BadUrlAndMethod_ReportsBoth()
    {
        var errors = Handler(_ => { }).ValidateConfig(new JsonObject { ["url"] = "ftp://x", ["method"] = "BREW" }).ToList();

        Assert.Contains(new ConfigError(".url", "'ftp://x' is not an absolute http or https URL"), errors);
        Assert.Contains(new ConfigError(".method", "'BREW' is not one of GET, POST, PUT, PATCH, DELETE"), errors);
    }

    public void Dispose()
    {
        _stop.Cancel();
        _server.Close();
        _stop.Dispose();
    }
}
