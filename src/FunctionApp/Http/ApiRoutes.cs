namespace DurablePipelines.FunctionApp.Http;

/// <summary>
/// The HTTP routes of docs/api.md. The Functions host puts every route under <see cref="Prefix"/>
/// (host.json <c>extensions.http.routePrefix</c>), so a route here is the part after <c>/api/</c>.
/// </summary>
internal static class ApiRoutes
{
    /// <summary>host.json <c>extensions.http.routePrefix</c>; keep the two equal.</summary>
    public const string Prefix = "api";

    public const string Pipelines = "pipelines";

    public const string Pipeline = "pipelines/{name}";

    public const string PipelineRuns = "pipelines/{name}/runs";

    public const string Runs = "runs";

    public const string Run = "runs/{runId}";

    public const string RunCancel = "runs/{runId}/cancel";

    public const string RunLog = "runs/{runId}/log";

    /// <summary><c>POST</c>: suspend a run.</summary>
    public const string RunSuspend = "runs/{runId}/suspend";

    /// <summary><c>POST</c>: resume a suspended run.</summary>
    public const string RunResume = "runs/{runId}/resume";

    /// <summary><c>POST</c>: raise an event on a run, for its <c>wait</c> results.</summary>
    public const string RunEvent = "runs/{runId}/events/{name}";

    /// <summary><c>POST</c>: rerun a finished run, reusing its succeeded results.</summary>
    public const string RunRerun = "runs/{runId}/rerun";

    /// <summary><c>POST</c>: an operator's retry, skip or fail of a result waiting for one.</summary>
    public const string RunResultRepair = "runs/{runId}/results/{pipelineResult}/{task}/{taskResult}/{action}";

    /// <summary>
    /// The dashboard. It cannot be <c>GET /</c>: that would need an empty route prefix, which would move every API
    /// route out of <c>/api</c>. So it is <c>GET /api/dashboard/</c>, with its script and style beside it.
    /// </summary>
    public const string Dashboard = "dashboard/{file?}";

    /// <summary>The header that carries the key, as on the Functions platform and the local host.</summary>
    public const string FunctionsKeyHeader = "x-functions-key";

    /// <summary>
    /// The address the app is served at, <c>{scheme}://{host}/</c>, from a request's URL: what the local host passes
    /// to <c>PipelineApi</c> too, which builds <c>/api/...</c> links on it.
    /// </summary>
    public static Uri BaseUri(Uri requestUrl)
    {
        ArgumentNullException.ThrowIfNull(requestUrl);
        return new Uri($"{requestUrl.GetLeftPart(UriPartial.Authority)}/");
    }
}
