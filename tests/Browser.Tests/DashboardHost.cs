using DurablePipelines.LocalHost.Serve;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;

namespace DurablePipelines.Browser.Tests;

/// <summary>
/// The real <c>dp serve</c> web application in process, on a free loopback port, over a test's Azurite, with a
/// pipelines folder of its own holding one pipeline that succeeds and one that fails.
/// </summary>
internal sealed class DashboardHost : IAsyncDisposable
{
    public const string SucceedingPipeline = "dashboard-ok";
    public const string FailingPipeline = "dashboard-fail";
    public const string FailureMessage = "the printer is on fire";
    public const string OperatorPipeline = "dashboard-operator";

    // prepare -> (process: one 1 s sleep per input item, two at a time | audit) -> report: long enough for the
    // page to show it running.
    private const string SucceedingDefinition = """
        {
          "name": "dashboard-ok",
          "description": "A small DAG with a fan-out over the input's items",
          "tasks": [
            { "name": "prepare", "handler": "echo" },
            { "name": "process", "handler": "sleep", "parents": ["prepare"], "iterator": "input.items", "maxConcurrency": 2, "config": { "ms": 1000 } },
            { "name": "audit", "handler": "echo", "parents": ["prepare"] },
            { "name": "report", "handler": "echo", "parents": ["process", "audit"] }
          ]
        }
        """;

    // prepare -> (break -> publish -> notify | side): break fails, its descendants are cancelled, side succeeds.
    private const string FailingDefinition = """
        {
          "name": "dashboard-fail",
          "description": "One branch fails; the other completes",
          "tasks": [
            { "name": "prepare", "handler": "echo" },
            { "name": "break", "handler": "fail", "parents": ["prepare"], "config": { "message": "the printer is on fire" } },
            { "name": "publish", "handler": "echo", "parents": ["break"] },
            { "name": "notify", "handler": "echo", "parents": ["publish"] },
            { "name": "side", "handler": "sleep", "parents": ["prepare"], "config": { "ms": 300 } }
          ]
        }
        """;

    // approve (waits for the 'release' event) -> load (row 2 fails and waits for an operator) -> report.
    private const string OperatorDefinition = """
        {
          "name": "dashboard-operator",
          "description": "An approval gate, then a load whose failed rows wait for an operator",
          "tasks": [
            { "name": "approve", "handler": "wait", "config": { "event": "release" } },
            { "name": "load", "handler": "fail", "parents": ["approve"], "iterator": "input.items", "config": { "items": [2], "message": "row 2 is malformed" }, "repair": {} },
            { "name": "report", "handler": "echo", "parents": ["load"] }
          ]
        }
        """;

    private readonly WebApplication _app;
    private readonly string _folder;

    private DashboardHost(WebApplication app, string folder, Uri address)
    {
        _app = app;
        _folder = folder;
        Address = address;
    }

    /// <summary>The dashboard's address, <c>http://127.0.0.1:{port}/</c>.</summary>
    public Uri Address { get; }

    public static async Task<DashboardHost> StartAsync(string storageConnectionString)
    {
        var folder = Directory.CreateTempSubdirectory("dp-dashboard-").FullName;
        await File.WriteAllTextAsync(Path.Combine(folder, SucceedingPipeline + ".json"), SucceedingDefinition);
        await File.WriteAllTextAsync(Path.Combine(folder, FailingPipeline + ".json"), FailingDefinition);
        await File.WriteAllTextAsync(Path.Combine(folder, OperatorPipeline + ".json"), OperatorDefinition);
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            // Port 0: Kestrel picks a free port itself, so no other process can take it between choice and bind.
            ["Pipelines:Urls"] = "http://127.0.0.1:0",
            ["Pipelines:Path"] = folder,
            ["AzureWebJobsStorage"] = storageConnectionString,
            ["Logging:LogLevel:Default"] = "Warning",
        }).Build();

        var app = ServeHost.Build(configuration);
        await app.StartAsync();
        var bound = app.Urls.Single();
        return new DashboardHost(app, folder, new Uri(bound.TrimEnd('/') + "/"));
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
        }
        finally
        {
            try
            {
                Directory.Delete(_folder, recursive: true);
            }
            catch (IOException)
            {
                // Left to the OS's temp cleaning.
            }
        }
    }
}
