using DurablePipelines.Api;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Azure.Functions.Worker.Http;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.Logging;

namespace DurablePipelines.FunctionApp.Http;

/// <summary>
/// The HTTP API of docs/api.md, each function a call to <see cref="PipelineApi"/>, the code the local host
/// serves too.
/// </summary>
/// <remarks>
/// API routes use <see cref="AuthorizationLevel.Function"/>: on Azure the platform checks <c>x-functions-key</c>
/// against the app's function or host keys before our code runs, so a deployment is never open by accident.
/// <see cref="PipelineApi.IsAuthorized"/> is still asked, and it refuses only when <c>Pipelines:ApiKey</c> is set;
/// set it on Azure only to the value of a function key, so one key works on Azure and on the local host alike.
/// Core Tools does not enforce function keys locally, where <c>Pipelines:ApiKey</c> does the job.
/// The dashboard page is anonymous: it holds no data, and its calls to the API carry the key.
/// </remarks>
public sealed class PipelineHttpFunctions(PipelineApiFactory apis, ILogger<PipelineHttpFunctions> logger)
{
    /// <summary><c>POST /api/pipelines/{name}/runs</c>: 202 with our status/cancel URLs and Durable's check-status links.</summary>
    [Function(nameof(StartPipelineHttp))]
    public Task<HttpResponseData> StartPipelineHttp(
        [HttpTrigger(AuthorizationLevel.Function, "post", Route = ApiRoutes.PipelineRuns)] HttpRequestData request,
        string name,
        [DurableClient] DurableTaskClient client) =>
        AnswerAsync(nameof(StartPipelineHttp), request, client, async (api, cancellationToken) =>
        {
            var answer = await api.StartRunAsync(name, request.Body, ApiRoutes.BaseUri(request.Url), cancellationToken);
            return answer.StatusCode == 202 && ApiResponses.RunIdOf(answer) is { } runId
                ? ApiResponses.WithDurableLinks(answer, ManagementLinks.From(client.CreateHttpManagementPayload(runId, request)))
                : answer;
        });

    /// <summary><c>GET /api/runs/{runId}</c>: the pipeline execution record.</summary>
    [Function(nameof(GetRun))]
    public Task<HttpResponseData> GetRun(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = ApiRoutes.Run)] HttpRequestData request,
        string runId,
        [DurableClient] DurableTaskClient client) =>
        AnswerAsync(nameof(GetRun), request, client, (api, cancellationToken) => api.GetRunAsync(runId, cancellationToken));

    /// <summary><c>GET /api/runs?pipeline=&amp;status=&amp;top=</c>: recent runs, newest first.</summary>
    [Function(nameof(ListRuns))]
    public Task<HttpResponseData> ListRuns(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = ApiRoutes.Runs)] HttpRequestData request,
        [DurableClient] DurableTaskClient client) =>
        AnswerAsync(nameof(ListRuns), request, client, (api, cancellationToken) =>
            api.ListRunsAsync(request.Query["pipeline"], request.Query["status"], request.Query["top"], cancellationToken));

    /// <summary><c>POST /api/runs/{runId}/cancel</c>: not-started tasks end Cancelled, the run Terminated.</summary>
    [Function(nameof(CancelRun))]
    public Task<HttpResponseData> CancelRun(
        [HttpTrigger(AuthorizationLevel.Function, "post", Route = ApiRoutes.RunCancel)] HttpRequestData request,
        string runId,
        [DurableClient] DurableTaskClient client) =>
        AnswerAsync(nameof(CancelRun), request, client, (api, cancellationToken) => api.CancelRunAsync(runId, cancellationToken));

    /// <summary><c>POST /api/runs/{runId}/suspend</c>: no new task result starts until the run is resumed.</summary>
    [Function(nameof(SuspendRun))]
    public Task<HttpResponseData> SuspendRun(
        [HttpTrigger(AuthorizationLevel.Function, "post", Route = ApiRoutes.RunSuspend)] HttpRequestData request,
        string runId,
        [DurableClient] DurableTaskClient client) =>
        AnswerAsync(nameof(SuspendRun), request, client, (api, cancellationToken) => api.SuspendRunAsync(runId, cancellationToken));

    /// <summary><c>POST /api/runs/{runId}/resume</c>: a suspended run goes on.</summary>
    [Function(nameof(ResumeRun))]
    public Task<HttpResponseData> ResumeRun(
        [HttpTrigger(AuthorizationLevel.Function, "post", Route = ApiRoutes.RunResume)] HttpRequestData request,
        string runId,
        [DurableClient] DurableTaskClient client) =>
        AnswerAsync(nameof(ResumeRun), request, client, (api, cancellationToken) => api.ResumeRunAsync(runId, cancellationToken));

    /// <summary><c>POST /api/runs/{runId}/events/{name}</c>: the run's <c>wait</c> results for the name end with the body.</summary>
    [Function(nameof(RaiseRunEvent))]
    public Task<HttpResponseData> RaiseRunEvent(
        [HttpTrigger(AuthorizationLevel.Function, "post", Route = ApiRoutes.RunEvent)] HttpRequestData request,
        string runId,
        string name,
        [DurableClient] DurableTaskClient client) =>
        AnswerAsync(nameof(RaiseRunEvent), request, client, (api, cancellationToken) => api.RaiseEventAsync(runId, name, request.Body, cancellationToken));

    /// <summary>
    /// <c>POST /api/runs/{runId}/results/{pipelineResult}/{task}/{taskResult}/{action}</c>: an operator's retry, skip or
    /// fail of a result waiting for one.
    /// </summary>
    [Function(nameof(RepairResult))]
    public Task<HttpResponseData> RepairResult(
        [HttpTrigger(AuthorizationLevel.Function, "post", Route = ApiRoutes.RunResultRepair)] HttpRequestData request,
        string runId,
        string pipelineResult,
        string task,
        string taskResult,
        string action,
        [DurableClient] DurableTaskClient client) =>
        AnswerAsync(nameof(RepairResult), request, client, (api, cancellationToken) => api.RepairResultAsync(runId, pipelineResult, task, taskResult, action, request.Body, cancellationToken));

    /// <summary><c>POST /api/runs/{runId}/rerun</c>: a new run reusing the run's succeeded results; 202 as a start, with Durable's links.</summary>
    [Function(nameof(RerunRun))]
    public Task<HttpResponseData> RerunRun(
        [HttpTrigger(AuthorizationLevel.Function, "post", Route = ApiRoutes.RunRerun)] HttpRequestData request,
        string runId,
        [DurableClient] DurableTaskClient client) =>
        AnswerAsync(nameof(RerunRun), request, client, async (api, cancellationToken) =>
        {
            var answer = await api.RerunAsync(runId, request.Body, ApiRoutes.BaseUri(request.Url), cancellationToken);
            return answer.StatusCode == 202 && ApiResponses.RunIdOf(answer) is { } newRunId
                ? ApiResponses.WithDurableLinks(answer, ManagementLinks.From(client.CreateHttpManagementPayload(newRunId, request)))
                : answer;
        });

    /// <summary><c>GET /api/runs/{runId}/log</c>: the run log rows.</summary>
    [Function(nameof(GetRunLog))]
    public Task<HttpResponseData> GetRunLog(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = ApiRoutes.RunLog)] HttpRequestData request,
        string runId,
        [DurableClient] DurableTaskClient client) =>
        AnswerAsync(nameof(GetRunLog), request, client, (api, cancellationToken) => api.GetRunLogAsync(runId, cancellationToken));

    /// <summary><c>GET /api/pipelines</c>: every definition, with its graph.</summary>
    [Function(nameof(ListPipelines))]
    public Task<HttpResponseData> ListPipelines(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = ApiRoutes.Pipelines)] HttpRequestData request,
        [DurableClient] DurableTaskClient client) =>
        AnswerAsync(nameof(ListPipelines), request, client, (api, _) => Task.FromResult(api.ListPipelines()));

    /// <summary><c>GET /api/pipelines/{name}</c>: one definition, with its graph.</summary>
    [Function(nameof(GetPipeline))]
    public Task<HttpResponseData> GetPipeline(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = ApiRoutes.Pipeline)] HttpRequestData request,
        string name,
        [DurableClient] DurableTaskClient client) =>
        AnswerAsync(nameof(GetPipeline), request, client, (api, _) => Task.FromResult(api.GetPipeline(name)));

    /// <summary>
    /// <c>GET /api/dashboard/</c>: the dashboard's page, script and style, the same embedded files the local host
    /// serves (see <see cref="ApiRoutes.Dashboard"/> for why not <c>/</c>).
    /// </summary>
    [Function(nameof(Dashboard))]
    public Task<HttpResponseData> Dashboard(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = ApiRoutes.Dashboard)] HttpRequestData request,
        string? file)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (string.IsNullOrEmpty(file) && !request.Url.AbsolutePath.EndsWith('/'))
        {
            // The page loads dashboard.js and dashboard.css relative to itself.
            return HttpResponses.RedirectAsync(request, request.Url.AbsolutePath + "/");
        }

        return DashboardAssets.Find(file) is { } asset
            ? HttpResponses.WriteBytesAsync(request, asset.Content, asset.ContentType)
            : HttpResponses.WriteAsync(request, Problems.NotFound($"no dashboard file '{file}'"));
    }

    private async Task<HttpResponseData> AnswerAsync(
        string function,
        HttpRequestData request,
        DurableTaskClient client,
        Func<PipelineApi, CancellationToken, Task<ApiResponse>> call)
    {
        ArgumentNullException.ThrowIfNull(request);
        var api = apis.Create(client);
        var answer = api.IsAuthorized(FunctionsKey(request))
            ? await call(api, request.FunctionContext.CancellationToken)
            : ApiResponses.Unauthorized();
        Log.Answered(logger, function, answer.StatusCode);
        return await HttpResponses.WriteAsync(request, answer);
    }

    private static string? FunctionsKey(HttpRequestData request) =>
        request.Headers.TryGetValues(ApiRoutes.FunctionsKeyHeader, out var values) ? values.FirstOrDefault() : null;
}
