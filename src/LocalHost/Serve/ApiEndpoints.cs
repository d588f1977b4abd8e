using System.Globalization;
using System.Text.Json;
using DurablePipelines.Api;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.DependencyInjection;

namespace DurablePipelines.LocalHost.Serve;

/// <summary>
/// The routes of docs/api.md on the local host: each translates the request into one
/// <see cref="PipelineApi"/> call and writes its answer as is, so the local host and the Function App answer
/// alike. The dashboard's files are served at <c>/</c>.
/// </summary>
internal static class ApiEndpoints
{
    public static IEndpointRouteBuilder MapPipelineApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api");
        api.MapPost("/pipelines/{name}/runs", (string name, HttpRequest request, PipelineApi pipelines, CancellationToken ct) =>
            Answer(pipelines.StartRunAsync(name, request.Body, BaseUri(request), ct)));
        api.MapGet("/pipelines", (PipelineApi pipelines) => Answer(Task.FromResult(pipelines.ListPipelines())));
        api.MapGet("/pipelines/{name}", (string name, PipelineApi pipelines) => Answer(Task.FromResult(pipelines.GetPipeline(name))));
        api.MapGet("/runs", (HttpRequest request, PipelineApi pipelines, CancellationToken ct) =>
            Answer(pipelines.ListRunsAsync(request.Query["pipeline"], request.Query["status"], request.Query["top"], ct)));
        api.MapGet("/runs/{runId}", (string runId, PipelineApi pipelines, CancellationToken ct) => Answer(pipelines.GetRunAsync(runId, ct)));
        api.MapPost("/runs/{runId}/cancel", (string runId, PipelineApi pipelines, CancellationToken ct) => Answer(pipelines.CancelRunAsync(runId, ct)));
        api.MapPost("/runs/{runId}/suspend", (string runId, PipelineApi pipelines, CancellationToken ct) => Answer(pipelines.SuspendRunAsync(runId, ct)));
        api.MapPost("/runs/{runId}/resume", (string runId, PipelineApi pipelines, CancellationToken ct) => Answer(pipelines.ResumeRunAsync(runId, ct)));
        api.MapPost("/runs/{runId}/events/{name}", (string runId, string name, HttpRequest request, PipelineApi pipelines, CancellationToken ct) =>
            Answer(pipelines.RaiseEventAsync(runId, name, request.Body, ct)));
        api.MapPost("/runs/{runId}/results/{pipelineResult}/{task}/{taskResult}/{action}", (string runId, string pipelineResult, string task, string taskResult, string action, HttpRequest request, PipelineApi pipelines, CancellationToken ct) =>
            Answer(pipelines.RepairResultAsync(runId, pipelineResult, task, taskResult, action, request.Body, ct)));
        api.MapPost("/runs/{runId}/rerun", (string runId, HttpRequest request, PipelineApi pipelines, CancellationToken ct) =>
            Answer(pipelines.RerunAsync(runId, request.Body, BaseUri(request), ct)));
        api.MapGet("/runs/{runId}/log", (string runId, PipelineApi pipelines, CancellationToken ct) => Answer(pipelines.GetRunLogAsync(runId, ct)));

        // "/api" itself too: the fallback needs a segment after it, and the dashboard's "/{file?}" would answer a bare 404.
        api.Map("/", NoRoute);
        api.MapFallback(NoRoute);

        app.MapGet("/{file?}", (string? file) => DashboardAssets.Find(file) is { } asset
            ? Results.Bytes(asset.Content, asset.ContentType)
            : Results.NotFound());
        return app;
    }

    /// <summary>Every <c>/api</c> route needs the key when <c>Pipelines:ApiKey</c> is set (header <c>x-functions-key</c>, or <c>?code=</c> as on Azure).</summary>
    public static IApplicationBuilder UseApiKey(this IApplicationBuilder app) => app.Use(async (context, next) =>
    {
        if (context.Request.Path.StartsWithSegments("/api"))
        {
            var api = context.RequestServices.GetRequiredService<PipelineApi>();
            var key = context.Request.Headers["x-functions-key"].FirstOrDefault() ?? context.Request.Query["code"].FirstOrDefault();
            if (!api.IsAuthorized(key))
            {
                await Write(context, Problems.Unauthorized());
                return;
            }
        }

        await next(context);
    });

    /// <summary>
    /// Turns failures the pipeline API cannot see (malformed HTTP, a body over Kestrel's limit) into problems, never
    /// a bare 500, and gives every error answered without a body (no route, a method a route does not take, a
    /// dashboard file that is not there) a problem body.
    /// </summary>
    public static IApplicationBuilder UseProblemAnswers(this IApplicationBuilder app, int maxRequestBytes) => app.Use(async (context, next) =>
    {
        try
        {
            await next(context);
        }
        catch (BadHttpRequestException ex) when (!context.Response.HasStarted)
        {
            var answer = ex.StatusCode == StatusCodes.Status413PayloadTooLarge
                ? Problems.TooLarge(maxRequestBytes)
                : Problems.Create(ex.StatusCode, "bad-request", "The request could not be read.", ex.Message);
            await Write(context, answer);
            return;
        }

        if (!context.Response.HasStarted && context.Response.StatusCode >= 400 && context.Response.ContentType is null)
        {
            await Write(context, EmptyAnswer(context));
        }
    });

    private static Task NoRoute(HttpContext context) => Write(context, Problems.NotFound(NoRouteDetail(context)));

    private static string NoRouteDetail(HttpContext context) => $"no route {context.Request.Method} {context.Request.Path}";

    private static ApiResponse EmptyAnswer(HttpContext context) => context.Response.StatusCode switch
    {
        StatusCodes.Status404NotFound => Problems.NotFound(NoRouteDetail(context)),
        StatusCodes.Status405MethodNotAllowed => Problems.Create(405, "method-not-allowed", "Method not allowed.", $"{context.Request.Method} is not allowed on {context.Request.Path} (allowed: {context.Response.Headers.Allow})"),
        var status => Problems.Create(status, "error", ReasonPhrases.GetReasonPhrase(status) is { Length: > 0 } phrase ? $"{phrase}." : "Error.", $"{context.Request.Method} {context.Request.Path} was answered {status}"),
    };

    private static Uri BaseUri(HttpRequest request) => new($"{request.Scheme}://{request.Host}{request.PathBase}/");

    private static async Task<IResult> Answer(Task<ApiResponse> response)
    {
        var answer = await response;
        return new ApiResult(answer);
    }

    private static async Task Write(HttpContext context, ApiResponse answer)
    {
        context.Response.StatusCode = answer.StatusCode;
        if (answer.Location is not null)
        {
            context.Response.Headers.Location = answer.Location;
        }

        if (answer.RetryAfterSeconds is { } seconds)
        {
            context.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
        }

        if (answer.Body is not null)
        {
            context.Response.ContentType = answer.ContentType;
            await using var writer = new Utf8JsonWriter(context.Response.Body);
            answer.Body.WriteTo(writer);
        }
    }

    private sealed class ApiResult(ApiResponse answer) : IResult
    {
        public Task ExecuteAsync(HttpContext httpContext) => Write(httpContext, answer);
    }
}
