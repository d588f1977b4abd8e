using System.Text;
using DurablePipelines.Api;
using DurablePipelines.Catalog;
using DurablePipelines.Definitions;
using DurablePipelines.Hosting;
using DurablePipelines.Orchestration;
using DurablePipelines.Records;
using DurablePipelines.Validation;
using Microsoft.Extensions.DependencyInjection;
using Moq;

namespace DurablePipelines.Tests.Api;

/// <summary>The API's answers when its run store cannot answer, and which store each entry point uses.</summary>
public sealed class PipelineApiTests : IDisposable
{
    private const string Unreachable = "storage cannot be reached: Connection refused (127.0.0.1:10000)";
    private static readonly Uri s_baseUri = new("http://127.0.0.1:7071/");

    private readonly InMemoryRunStore _hostStore = new();
    private readonly Mock<IRunScheduler> _scheduler = new();
    private ServiceProvider? _services;

    public PipelineApiTests()
    {
        _scheduler.SetupGet(s => s.RunnerName).Returns("test");
        _scheduler.Setup(s => s.CancelAsync(It.IsAny<string>(), It.IsAny<CancellationToken>())).ReturnsAsync(true);
    }

    public static TheoryData<string> StorageBackedCalls => ["start", "get", "list", "log", "cancel"];

    [Theory]
    [MemberData(nameof(StorageBackedCalls))]
    public async Task StorageBackedCall_InteractiveStoreUnavailable_503ProblemWithRetryAfter(string call)
    {
        var api = Api(Failing(new RunStoreUnavailableException(Unreachable)));

        var answer = await CallAsync(api, call);

        Assert.Equal((503, Problems.ContentType, 5), (answer.StatusCode, answer.ContentType, answer.RetryAfterSeconds));
        Assert.Equal("urn:durable-pipelines:problem:storage-unavailable", answer.Body!["type"]!.GetValue<string>());
        Assert.Equal("Storage is unavailable; try again shortly.", answer.Body["title"]!.GetValue<string>());
        Assert.Equal(503, answer.Body["status"]!.GetValue<int>());
        Assert.Equal(Unreachable, answer.Body["detail"]!.GetValue<string>());
        _scheduler.Verify(s => s.ScheduleAsync(It.IsAny<RunPipelineInput>(), It.IsAny<CancellationToken>()), Times.Never);
        _scheduler.Verify(s => s.CancelAsync(It.IsAny<string>(), It.IsAny<CancellationToken>()), Times.Never);
    }

    [Theory]
    [MemberData(nameof(StorageBackedCalls))]
    public async Task StorageBackedCall_AnyOtherStoreFailure_IsNotCalledUnavailable(string call)
    {
        var api = Api(Failing(new InvalidOperationException("a bug")));

        var failure = await Assert.ThrowsAsync<InvalidOperationException>(() => CallAsync(api, call));

        Assert.Equal("a bug", failure.Message);
    }

    [Fact]
    public async Task StartFromQueueAsync_InteractiveStoreUnavailable_ClaimsThroughTheHostsPatientStore()
    {
        var api = Api(Failing(new RunStoreUnavailableException(Unreachable)));

        var outcome = await api.StartFromQueueAsync("""{ "pipeline": "orders", "runId": "queued-1" }""", CancellationToken.None);

        Assert.Equal(QueueStartDisposition.Accepted, outcome.Disposition);
        Assert.Equal(RunStatus.Pending, (await _hostStore.GetAsync("queued-1", CancellationToken.None))?.Status);
    }

    [Fact]
    public async Task StartRunAsync_NoInteractiveStoreRegistered_AnswersFromTheHostsStore()
    {
        var api = Api(interactive: null);

        var answer = await api.StartRunAsync("orders", Body("""{ "runId": "http-1" }"""), s_baseUri, CancellationToken.None);

        Assert.Equal(202, answer.StatusCode);
        Assert.Null(answer.RetryAfterSeconds);
        Assert.NotNull(await _hostStore.GetAsync("http-1", CancellationToken.None));
    }

    public void Dispose() => _services?.Dispose();

    private static Task<ApiResponse> CallAsync(PipelineApi api, string call) => call switch
    {
        "start" => api.StartRunAsync("orders", Body("""{ "runId": "r-1" }"""), s_baseUri, CancellationToken.None),
        "get" => api.GetRunAsync("r-1", CancellationToken.None),
        "list" => api.ListRunsAsync(null, null, null, CancellationToken.None),
        "log" => api.GetRunLogAsync("r-1", CancellationToken.None),
        "cancel" => api.CancelRunAsync("r-1", CancellationToken.None),
        _ => throw new ArgumentOutOfRangeException(nameof(call), call, null),
    };

    private static MemoryStream Body(string json) => new MemoryStream(Encoding.UTF8.GetBytes(json));

    /// <summary>A run store every call of which fails with <paramref name="failure"/>.</summary>
    private static IRunStore Failing(Exception failure)
    {
        var store = new Mock<IRunStore>(MockBehavior.Strict);
        store.Setup(s => s.TryCreateAsync(It.IsAny<PipelineExecution>(), It.IsAny<RunPipelineInput?>(), It.IsAny<CancellationToken>())).ThrowsAsync(failure);
        store.Setup(s => s.SaveAsync(It.IsAny<PipelineExecution>(), It.IsAny<CancellationToken>())).ThrowsAsync(failure);
        store.Setup(s => s.GetAsync(It.IsAny<string>(), It.IsAny<CancellationToken>())).ThrowsAsync(failure);
        store.Setup(s => s.ListAsync(It.IsAny<RunQuery>(), It.IsAny<CancellationToken>())).ThrowsAsync(failure);
        store.Setup(s => s.GetLogAsync(It.IsAny<string>(), It.IsAny<CancellationToken>())).ThrowsAsync(failure);
        return store.Object;
    }

    /// <summary>The API as a host composes it; <paramref name="interactive"/> registered as a storage adapter would.</summary>
    private PipelineApi Api(IRunStore? interactive)
    {
        var services = new ServiceCollection().AddLogging().AddDurablePipelines();
        services.AddSingleton<IRunStore>(_hostStore);
        if (interactive is not null)
        {
            services.AddKeyedSingleton(RunStoreKeys.Interactive, interactive);
        }

        services.AddSingleton(_scheduler.Object);
        services.AddSingleton(sp =>
        {
            var catalog = new PipelineCatalog();
            catalog.Add(new PipelineBuilder("orders").Task("price", "echo").Build(), sp.GetRequiredService<PipelineValidator>());
            return catalog;
        });
        services.AddPipelineApi();
        _services = services.BuildServiceProvider();
        return _services.GetRequiredService<PipelineApi>();
    }
}
