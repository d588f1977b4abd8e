using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace DurablePipelines.LocalHost.Tests.Commands;

/// <summary>
/// A storage endpoint on a free loopback port that refuses every request as an Azurite too old for the version it
/// was sent does (status, <c>x-ms-error-code</c> and XML body as Azurite 3.37 writes them).
/// </summary>
internal sealed class RefusingStorage : IAsyncDisposable
{
    private readonly WebApplication _app;

    private RefusingStorage(WebApplication app)
    {
        _app = app;
        var address = new Uri(app.Urls.Single());
        Endpoint = new Uri(address, "/devstoreaccount1");
    }

    /// <summary>The account's endpoint, for blobs and queues alike.</summary>
    public Uri Endpoint { get; }

    /// <summary>A connection string whose blob and queue endpoints are this one.</summary>
    public string ConnectionString =>
        $"DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey={TestSupport.Azurite.AzuriteFixture.AccountKey};" +
        $"BlobEndpoint={Endpoint};QueueEndpoint={Endpoint};";

    public static async Task<RefusingStorage> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        app.Run(async context =>
        {
            var version = context.Request.Headers["x-ms-version"].ToString();
            var message = $"The API version {version} is not supported by Azurite. Please upgrade Azurite to latest version and retry. " +
                "If you are using Azurite in Visual Studio, please check you have installed latest Visual Studio patch. Azurite command line " +
                "parameter \"--skipApiVersionCheck\" or Visual Studio Code configuration \"Skip Api Version Check\" can skip this error. ";
            context.Response.StatusCode = StatusCodes.Status400BadRequest;
            context.Response.Headers["x-ms-error-code"] = "InvalidHeaderValue";
            context.Response.ContentType = "application/xml";
            await context.Response.WriteAsync(
                $"<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n<Error>\n  <Code>InvalidHeaderValue</Code>\n  <Message>{message}\nRequestId:1\nTime:2026-01-01T00:00:00.000Z</Message>\n</Error>");
        });
        await app.StartAsync();
        return new RefusingStorage(app);
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
