using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using DurablePipelines.Catalog;
using DurablePipelines.Definitions;
using DurablePipelines.Hosting;
using DurablePipelines.Orchestration;
using DurablePipelines.Records;
using DurablePipelines.Starts;
using DurablePipelines.Validation;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace DurablePipelines.Api;

/// <summary>
/// The HTTP and queue interface of docs/api.md, transport-neutral: the local host and the Function App
/// translate requests into these calls and write the <see cref="ApiResponse"/> out as is, so both answer the
/// same bodies and status codes. Bad input is always a 4xx, never a 500; storage that cannot answer in time is a
/// 503 with <c>Retry-After</c>, never a hang.
/// </summary>
public sealed class PipelineApi
{
    private const int MaxPoisonReason = 8 * 1024;

    // The statuses a stored record has: Suspended is the live view's (GET /api/runs/{runId}); the record says Running.
    private static readonly string[] s_storedStatuses = [.. Enum.GetNames<RunStatus>().Where(n => n != nameof(RunStatus.Suspended))];

    private readonly PipelineCatalog _catalog;
    private readonly IRunStore _store;
    private readonly IRunStore _queueStore;
    private readonly IRunScheduler _scheduler;
    private readonly RunStarter _starter;
    private readonly PipelineOptions _options;
    private readonly PipelineValidator _validator;
    private readonly ILogger<PipelineApi> _logger;

    /// <summary>Creates the API over a catalog, the run stores and a scheduler.</summary>
    /// <param name="catalog">The pipelines it serves.</param>
    /// <param name="starter">Plans and admits starts.</param>
    /// <param name="store">
    /// The host's run store, shared with background work: queue starts claim their runs through it, retried as
    /// patiently as it retries, since no one waits on a queue message.
    /// </param>
    /// <param name="interactiveStore">
    /// The store HTTP calls read and claim through (<see cref="RunStoreKeys.Interactive"/>): it gives up within a
    /// bounded time with <see cref="RunStoreUnavailableException"/>, which is answered 503.
    /// </param>
    /// <param name="scheduler">Schedules and cancels runs.</param>
    /// <param name="options">The API key and the request size limit.</param>
    /// <param name="validator">Checks the config an operator's retry gives a task.</param>
    /// <param name="logger">Where accepted starts, cancels and unavailable storage are logged.</param>
    public PipelineApi(
        PipelineCatalog catalog,
        RunStarter starter,
        IRunStore store,
        [FromKeyedServices(RunStoreKeys.Interactive)] IRunStore interactiveStore,
        IRunScheduler scheduler,
        IOptions<PipelineOptions> options,
        PipelineValidator validator,
        ILogger<PipelineApi> logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        _catalog = catalog;
        _store = interactiveStore;
        _queueStore = store;
        _scheduler = scheduler;
        _starter = starter;
        _options = options.Value;
        _validator = validator;
        _logger = logger;
    }

    /// <summary>Plans a start from the start alone, without I/O (throws <see cref="PipelineValidationException"/> for invalid input).</summary>
    private RunPipelineInput Plan(PipelineDefinition definition, JsonNode? input, string? runId) =>
        _starter.Plan(definition, input, runId, _scheduler.RunnerName, _options.ToSettings());

    /// <summary>True when no API key is configured or <paramref name="functionsKey"/> matches it.</summary>
    public bool IsAuthorized(string? functionsKey) =>
        string.IsNullOrEmpty(_options.ApiKey)
        || (functionsKey is not null && CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(functionsKey), Encoding.UTF8.GetBytes(_options.ApiKey)));

    /// <summary><c>POST /api/pipelines/{name}/runs</c>: 202, 400, 404, 409, 413 or 503.</summary>
    public Task<ApiResponse> StartRunAsync(string pipeline, Stream body, Uri baseUri, CancellationToken cancellationToken) =>
        OrUnavailableAsync(StartRunCoreAsync(pipeline, body, baseUri, cancellationToken));

    private async Task<ApiResponse> StartRunCoreAsync(string pipeline, Stream body, Uri baseUri, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(body);
        ArgumentNullException.ThrowIfNull(baseUri);
        var definition = _catalog.Find(pipeline);
        if (definition is null)
        {
            return Problems.NotFound($"unknown pipeline '{pipeline}'{NameSuggestions.DidYouMean(pipeline, _catalog.Pipelines.Select(p => p.Name))}");
        }

        var utf8 = await ReadLimitedAsync(body, _options.MaxRequestBytes, cancellationToken);
        if (utf8 is null)
        {
            return Problems.TooLarge(_options.MaxRequestBytes);
        }

        var (request, errors) = StartRequest.Parse(utf8.Value.Span, pipelineRequired: false);
        if (request is null)
        {
            return Problems.Invalid("the request body is not a valid start", errors);
        }

        Admission admission;
        try
        {
            admission = await _starter.AdmitAsync(definition, Plan(definition, request.Input, request.RunId), _store, _scheduler, cancellationToken);
        }
        catch (PipelineValidationException ex)
        {
            return Problems.Invalid($"pipeline '{pipeline}' cannot start with this input", ex.Errors);
        }

        if (admission.Run is not { } run)
        {
            return Problems.Conflict($"run '{admission.Conflict!.RunId}' is still active ({admission.Conflict.Status}); pipeline '{pipeline}' does not allow multilaunch");
        }

        LogAccepted(admission, pipeline, "http");
        return Accepted(run, baseUri);
    }

    /// <summary>
    /// <c>POST /api/runs/{runId}/rerun</c>: starts a new run of the definition and input <paramref name="runId"/> ran with,
    /// reusing its succeeded results; 202, 400, 404, 409 (the run is still active, its definition was not kept, or the
    /// new run id is held by an active run), 413 or 503.
    /// </summary>
    public Task<ApiResponse> RerunAsync(string runId, Stream body, Uri baseUri, CancellationToken cancellationToken) =>
        OrUnavailableAsync(RerunCoreAsync(runId, body, baseUri, cancellationToken));

    private async Task<ApiResponse> RerunCoreAsync(string runId, Stream body, Uri baseUri, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(body);
        ArgumentNullException.ThrowIfNull(baseUri);
        var source = Definitions.RunIdTemplate.IsValidRunId(runId) ? await _store.GetAsync(runId, cancellationToken) : null;
        if (source is null)
        {
            return Problems.NotFound($"unknown run '{runId}'");
        }

        if (!source.Status.IsFinal())
        {
            return Problems.Conflict($"run '{runId}' is still active ({source.Status}); only a finished run can be rerun");
        }

        var utf8 = await ReadLimitedAsync(body, _options.MaxRequestBytes, cancellationToken);
        if (utf8 is null)
        {
            return Problems.TooLarge(_options.MaxRequestBytes);
        }

        var (request, errors) = RerunRequest.Parse(utf8.Value.Span);
        if (request is null)
        {
            return Problems.Invalid("the request body is not a valid rerun", errors);
        }

        if (await _store.GetPinnedAsync(runId, cancellationToken) is not { } pinned)
        {
            return Problems.Conflict($"run '{runId}' cannot be rerun: the definition it ran with was not kept (it started before runs kept theirs, or keeping it failed: see the log of the host that started it)");
        }

        Admission admission;
        try
        {
            var run = _starter.PlanRerun(source, pinned, request.RunId, _scheduler.RunnerName, _options.ToSettings());
            admission = await _starter.AdmitAsync(pinned.Definition, run, _store, _scheduler, cancellationToken);
        }
        catch (PipelineValidationException ex)
        {
            return Problems.Invalid($"run '{runId}' cannot be rerun with this request", ex.Errors);
        }

        if (admission.Run is not { } admitted)
        {
            return Problems.Conflict($"run '{admission.Conflict!.RunId}' is still active ({admission.Conflict.Status}); pipeline '{pinned.Definition.Name}' does not allow multilaunch");
        }

        LogAccepted(admission, pinned.Definition.Name, "http rerun");
        var answer = Accepted(admitted, baseUri);
        answer.Body!["rerunOf"] = runId;
        return answer;
    }

    /// <summary>The 202 of an admitted run: its id, pipeline, status and links.</summary>
    private static ApiResponse Accepted(RunPipelineInput run, Uri baseUri)
    {
        var status = new Uri(baseUri, $"api/runs/{run.RunId}").ToString();
        return new ApiResponse(202, new JsonObject
        {
            ["runId"] = run.RunId,
            ["pipeline"] = run.Definition.Name,
            ["status"] = nameof(RunStatus.Pending),
            ["statusUrl"] = status,
            ["cancelUrl"] = status + "/cancel",
            ["logUrl"] = status + "/log",
        }, Location: $"/api/runs/{run.RunId}");
    }

    /// <summary>
    /// A <c>pipeline-starts</c> message: accepted; poison when it can never start a run, whatever the reason (not a
    /// valid start, over the size limit, an unknown pipeline, input the pipeline refuses, or a failure while
    /// planning, which depends on the message alone); retry only when claiming or scheduling the run failed, which
    /// is storage or the engine and may pass. Never throws but when cancelled.
    /// </summary>
    public async Task<QueueStartOutcome> StartFromQueueAsync(string messageText, CancellationToken cancellationToken)
    {
        messageText ??= string.Empty;
        if (Encoding.UTF8.GetByteCount(messageText) > _options.MaxRequestBytes)
        {
            return Poison($"the message is larger than the limit of {_options.MaxRequestBytes} bytes (Pipelines:MaxRequestBytes)");
        }

        var (request, errors) = StartRequest.Parse(messageText, pipelineRequired: true);
        if (request is null)
        {
            return Poison(errors);
        }

        var definition = _catalog.Find(request.Pipeline!);
        if (definition is null)
        {
            return Poison($"unknown pipeline '{request.Pipeline}'{NameSuggestions.DidYouMean(request.Pipeline!, _catalog.Pipelines.Select(p => p.Name))}");
        }

        Orchestration.RunPipelineInput run;
        try
        {
            run = Plan(definition, request.Input, request.RunId);
        }
        catch (PipelineValidationException ex)
        {
            return Poison(ex.Errors);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            Log.QueueStartUnplannable(_logger, ex, definition.Name);
            return Poison($"the start cannot be planned: {ex.GetType().Name}: {ex.Message}");
        }

        try
        {
            // Through the patient store: a short outage is waited out here instead of spending the message's dequeues.
            var admission = await _starter.AdmitAsync(definition, run, _queueStore, _scheduler, cancellationToken);
            var runId = admission.Run?.RunId ?? admission.Conflict!.RunId;
            LogAccepted(admission, definition.Name, admission.Run is null ? "queue (already active)" : "queue");
            return new QueueStartOutcome(QueueStartDisposition.Accepted, runId, admission.Run is null ? "a run with this id is already active" : null);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            return new QueueStartOutcome(QueueStartDisposition.Retry, null, $"{ex.GetType().Name}: {ex.Message}");
        }
    }

    private void LogAccepted(Admission admission, string pipeline, string source)
    {
        var runId = admission.Run?.RunId ?? admission.Conflict!.RunId;
        Log.RunAccepted(_logger, runId, pipeline, source);
        if (admission.Unpinned is { } error)
        {
            Log.RunNotPinned(_logger, error, runId);
        }
    }

    /// <summary><c>GET /api/runs/{runId}</c>: the record, 404 or 503.</summary>
    public Task<ApiResponse> GetRunAsync(string runId, CancellationToken cancellationToken) =>
        OrUnavailableAsync(GetRunCoreAsync(runId, cancellationToken));

    private async Task<ApiResponse> GetRunCoreAsync(string runId, CancellationToken cancellationToken)
    {
        if (!Definitions.RunIdTemplate.IsValidRunId(runId))
        {
            return Problems.NotFound($"unknown run '{runId}'");
        }

        var record = await _store.GetAsync(runId, cancellationToken);
        if (record is null)
        {
            return Problems.NotFound($"unknown run '{runId}'");
        }

        // While the run goes, the stored record says only Pending or Running; the engine's custom status says how far.
        var json = ToJson(record);
        if (!record.Status.IsFinal() && await _scheduler.GetProgressAsync(runId, cancellationToken) is { } progress)
        {
            json["progress"] = JsonSerializer.SerializeToNode(progress, PipelineJson.Options);
            if (progress.Status == RunStatus.Suspended)
            {
                // Only the orchestration knows it is suspended: the stored record says Running until the run ends.
                json["status"] = nameof(RunStatus.Suspended);
            }
        }

        return new ApiResponse(200, json);
    }

    /// <summary><c>GET /api/runs?pipeline=&amp;status=&amp;top=</c>: recent runs, newest first; 400 or 503.</summary>
    public Task<ApiResponse> ListRunsAsync(string? pipeline, string? status, string? top, CancellationToken cancellationToken) =>
        OrUnavailableAsync(ListRunsCoreAsync(pipeline, status, top, cancellationToken));

    private async Task<ApiResponse> ListRunsCoreAsync(string? pipeline, string? status, string? top, CancellationToken cancellationToken)
    {
        var errors = new List<ValidationError>();
        RunStatus? filter = null;
        if (!string.IsNullOrEmpty(status))
        {
            // One status by name: Enum.TryParse would also take numbers and comma-separated lists.
            if (s_storedStatuses.FirstOrDefault(n => n.Equals(status, StringComparison.OrdinalIgnoreCase)) is { } name)
            {
                filter = Enum.Parse<RunStatus>(name);
            }
            else
            {
                errors.Add(new ValidationError("$.status", ValidationCodes.Input, $"'{status}' is not a status (one of {string.Join(", ", s_storedStatuses)})"));
            }
        }

        var count = 50;
        if (!string.IsNullOrEmpty(top) && !(int.TryParse(top, NumberStyles.None, CultureInfo.InvariantCulture, out count) && count is >= 1 and <= 1000))
        {
            errors.Add(new ValidationError("$.top", ValidationCodes.Range, $"'{top}' is not a whole number from 1 to 1000"));
        }

        if (errors.Count > 0)
        {
            return Problems.Invalid("the query is not valid", errors);
        }

        var runs = await _store.ListAsync(new RunQuery(string.IsNullOrEmpty(pipeline) ? null : pipeline, filter, count), cancellationToken);
        return new ApiResponse(200, new JsonObject { ["runs"] = new JsonArray([.. runs.Select(Summary)]) });
    }

    /// <summary><c>POST /api/runs/{runId}/cancel</c>: 202, 404, 409 when the run already finished, or 503.</summary>
    public Task<ApiResponse> CancelRunAsync(string runId, CancellationToken cancellationToken) =>
        OrUnavailableAsync(CancelRunCoreAsync(runId, cancellationToken));

    private async Task<ApiResponse> CancelRunCoreAsync(string runId, CancellationToken cancellationToken)
    {
        var record = Definitions.RunIdTemplate.IsValidRunId(runId) ? await _store.GetAsync(runId, cancellationToken) : null;
        if (record is null)
        {
            return Problems.NotFound($"unknown run '{runId}'");
        }

        if (record.Status.IsFinal())
        {
            return Problems.Conflict($"run '{runId}' already finished ({record.Status})");
        }

        if (!await _scheduler.CancelAsync(runId, cancellationToken))
        {
            return Problems.Conflict($"run '{runId}' is not running here and cannot be cancelled");
        }

        Log.RunCancelRequested(_logger, runId);
        return new ApiResponse(202, new JsonObject { ["runId"] = runId, ["status"] = "Cancelling" }, Location: $"/api/runs/{runId}");
    }

    /// <summary>
    /// <c>POST /api/runs/{runId}/suspend</c>: no new task result of the run starts until it is resumed; 202, 404, 409 when
    /// the run finished, is already suspended or is not running here, or 503.
    /// </summary>
    public Task<ApiResponse> SuspendRunAsync(string runId, CancellationToken cancellationToken) =>
        OrUnavailableAsync(SetSuspendedCoreAsync(runId, true, cancellationToken));

    /// <summary><c>POST /api/runs/{runId}/resume</c>: a suspended run goes on; 202, 404, 409 when it is not suspended, or 503.</summary>
    public Task<ApiResponse> ResumeRunAsync(string runId, CancellationToken cancellationToken) =>
        OrUnavailableAsync(SetSuspendedCoreAsync(runId, false, cancellationToken));

    private async Task<ApiResponse> SetSuspendedCoreAsync(string runId, bool suspend, CancellationToken cancellationToken)
    {
        var record = Definitions.RunIdTemplate.IsValidRunId(runId) ? await _store.GetAsync(runId, cancellationToken) : null;
        if (record is null)
        {
            return Problems.NotFound($"unknown run '{runId}'");
        }

        if (record.Status.IsFinal())
        {
            return Problems.Conflict($"run '{runId}' already finished ({record.Status})");
        }

        // The run's own view: a suspend or resume sent a moment ago shows once its orchestration has received it.
        var suspended = (await _scheduler.GetProgressAsync(runId, cancellationToken))?.Status == RunStatus.Suspended;
        if (suspend && suspended)
        {
            return Problems.Conflict($"run '{runId}' is already suspended");
        }

        if (!suspend && !suspended)
        {
            return Problems.Conflict($"run '{runId}' is not suspended");
        }

        var action = suspend ? "suspend" : "resume";
        if (!await _scheduler.SetSuspendedAsync(runId, suspend, cancellationToken))
        {
            return Problems.Conflict($"run '{runId}' is not running here and cannot be {(suspend ? "suspended" : "resumed")}");
        }

        Log.RunSuspensionRequested(_logger, runId, action);
        return new ApiResponse(202, new JsonObject { ["runId"] = runId, ["status"] = suspend ? "Suspending" : "Resuming" }, Location: $"/api/runs/{runId}");
    }

    /// <summary>
    /// <c>POST /api/runs/{runId}/events/{name}</c>: raises an event on a run; the run's <c>wait</c> results for that name
    /// end with the body (any JSON; none is null) as their output. 202, 400 (bad name or JSON), 404, 409 when the run
    /// finished or is not running here, 413, or 503.
    /// </summary>
    public Task<ApiResponse> RaiseEventAsync(string runId, string name, Stream body, CancellationToken cancellationToken) =>
        OrUnavailableAsync(RaiseEventCoreAsync(runId, name, body, cancellationToken));

    private async Task<ApiResponse> RaiseEventCoreAsync(string runId, string name, Stream body, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(body);
        var record = Definitions.RunIdTemplate.IsValidRunId(runId) ? await _store.GetAsync(runId, cancellationToken) : null;
        if (record is null)
        {
            return Problems.NotFound($"unknown run '{runId}'");
        }

        var utf8 = await ReadLimitedAsync(body, _options.MaxRequestBytes, cancellationToken);
        if (utf8 is null)
        {
            return Problems.TooLarge(_options.MaxRequestBytes);
        }

        var errors = new List<ValidationError>();
        if (!Definitions.RunIdTemplate.IsValidRunId(name))
        {
            errors.Add(new ValidationError("$.name", ValidationCodes.Input, $"'{name}' is not an event name: 1 to 100 letters, digits, '-', '_' or '.', starting with a letter or digit"));
        }

        JsonNode? payload = null;
        try
        {
            payload = utf8.Value.Length == 0 ? null : JsonNode.Parse(utf8.Value.Span);
        }
        catch (JsonException ex)
        {
            errors.Add(new ValidationError("$", ValidationCodes.JsonSyntax, $"the body is not valid JSON: {ex.Message}"));
        }

        if (errors.Count > 0)
        {
            return Problems.Invalid("the event is not valid", errors);
        }

        if (record.Status.IsFinal())
        {
            return Problems.Conflict($"run '{runId}' already finished ({record.Status})");
        }

        if (!await _scheduler.RaiseEventAsync(runId, new RunEventMessage(name, payload), cancellationToken))
        {
            return Problems.Conflict($"run '{runId}' is not running here and cannot receive events");
        }

        Log.RunEventRaised(_logger, runId, name);
        return new ApiResponse(202, new JsonObject { ["runId"] = runId, ["event"] = name }, Location: $"/api/runs/{runId}");
    }

    /// <summary>
    /// <c>POST /api/runs/{runId}/results/{pipelineResult}/{task}/{taskResult}/{action}</c>: an operator's retry, skip or
    /// fail of a task result that waits for one. 202; 400 (bad body, or a config the task's handler refuses); 404 (unknown
    /// run, action, task or result); 409 when the run finished, is not running here, or the result does not wait for an
    /// operator; 413; or 503.
    /// </summary>
    public Task<ApiResponse> RepairResultAsync(string runId, string pipelineResult, string task, string taskResult, string action, Stream body, CancellationToken cancellationToken) =>
        OrUnavailableAsync(RepairResultCoreAsync(runId, pipelineResult, task, taskResult, action, body, cancellationToken));

    private async Task<ApiResponse> RepairResultCoreAsync(string runId, string pipelineResultText, string task, string taskResultText, string actionText, Stream body, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(body);
        if (RepairRequest.ActionOf(actionText) is not { } action)
        {
            return Problems.NotFound($"unknown action '{actionText}': a waiting result is retried, skipped or failed (retry, skip, fail)");
        }

        var record = Definitions.RunIdTemplate.IsValidRunId(runId) ? await _store.GetAsync(runId, cancellationToken) : null;
        if (record is null)
        {
            return Problems.NotFound($"unknown run '{runId}'");
        }

        var address = $"{pipelineResultText}/{task}/{taskResultText}";
        if (!int.TryParse(pipelineResultText, NumberStyles.None, CultureInfo.InvariantCulture, out var pipelineResult)
            || !int.TryParse(taskResultText, NumberStyles.None, CultureInfo.InvariantCulture, out var taskResult))
        {
            return Problems.NotFound($"unknown result '{address}' of run '{runId}': the pipeline result and the task result are indexes from 0");
        }

        if (await _store.GetPinnedAsync(runId, cancellationToken) is not { } pinned)
        {
            return Problems.Conflict($"run '{runId}' cannot be repaired: the definition it runs was not kept (it started before runs kept theirs, or keeping it failed: see the log of the host that started it)");
        }

        var definition = pinned.Definition;
        var taskIndex = definition.Tasks.ToList().FindIndex(t => t.Name == task);
        if (taskIndex < 0)
        {
            return Problems.NotFound($"unknown task '{task}' of pipeline '{definition.Name}'{NameSuggestions.DidYouMean(task, definition.Tasks.Select(t => t.Name))}");
        }

        var utf8 = await ReadLimitedAsync(body, _options.MaxRequestBytes, cancellationToken);
        if (utf8 is null)
        {
            return Problems.TooLarge(_options.MaxRequestBytes);
        }

        var (repair, errors) = RepairRequest.Parse(utf8.Value.Span, action, pipelineResult, task, taskResult);
        if (repair is not null)
        {
            errors = CheckRetry(definition, taskIndex, repair);
        }

        if (errors.Count > 0)
        {
            return Problems.Invalid($"the {actionText} of result '{address}' is not valid", errors);
        }

        if (record.Status.IsFinal())
        {
            return Problems.Conflict($"run '{runId}' already finished ({record.Status})");
        }

        // The run's instance lists its waiting results; past the listed few, the run itself drops a repair of one
        // that does not wait.
        var progress = await _scheduler.GetProgressAsync(runId, cancellationToken);
        var listed = progress?.Waiting.Any(w => w.PipelineResult == pipelineResult && w.Task == task && w.TaskResult == taskResult) == true;
        if (!listed && (progress is null || progress.WaitingCount <= progress.Waiting.Count))
        {
            return Problems.Conflict($"result '{address}' of run '{runId}' does not wait for an operator");
        }

        if (!await _scheduler.RepairAsync(runId, repair!, cancellationToken))
        {
            return Problems.Conflict($"run '{runId}' is not running here and cannot be repaired");
        }

        Log.ResultRepaired(_logger, runId, address, actionText);
        return new ApiResponse(202, new JsonObject
        {
            ["runId"] = runId,
            ["pipelineResult"] = pipelineResult,
            ["task"] = task,
            ["taskResult"] = taskResult,
            ["action"] = actionText,
        }, Location: $"/api/runs/{runId}");
    }

    /// <summary>
    /// The problems of what a retry changes: a config the task's handler refuses (paths from the body's
    /// <c>config</c>), or an item for a task without an iterator.
    /// </summary>
    private List<ValidationError> CheckRetry(PipelineDefinition definition, int taskIndex, RepairMessage repair)
    {
        var errors = new List<ValidationError>();
        var task = definition.Tasks[taskIndex];
        if (repair.Item is not null && task.Iterator is null)
        {
            errors.Add(new ValidationError("$.item", ValidationCodes.Input, $"task '{task.Name}' has no iterator: its one result has no item to replace"));
        }

        if (repair.Config is { } config)
        {
            var edited = definition with { Tasks = [.. definition.Tasks.Select((t, i) => i == taskIndex ? t with { Config = config } : t)] };
            var prefix = $"$.tasks[{taskIndex}].config";
            errors.AddRange(_validator.Validate(edited)
                .Where(e => e.Path.StartsWith(prefix, StringComparison.Ordinal))
                .Select(e => e with { Path = "$.config" + e.Path[prefix.Length..] }));
        }

        return errors;
    }

    /// <summary><c>GET /api/runs/{runId}/log</c>: the run log rows, oldest first; 404 or 503.</summary>
    public Task<ApiResponse> GetRunLogAsync(string runId, CancellationToken cancellationToken) =>
        OrUnavailableAsync(GetRunLogCoreAsync(runId, cancellationToken));

    private async Task<ApiResponse> GetRunLogCoreAsync(string runId, CancellationToken cancellationToken)
    {
        if (!Definitions.RunIdTemplate.IsValidRunId(runId) || await _store.GetAsync(runId, cancellationToken) is null)
        {
            return Problems.NotFound($"unknown run '{runId}'");
        }

        var rows = await _store.GetLogAsync(runId, cancellationToken);
        return new ApiResponse(200, new JsonObject
        {
            ["runId"] = runId,
            ["rows"] = JsonSerializer.SerializeToNode(rows, PipelineJson.Options),
        });
    }

    /// <summary><c>GET /api/pipelines</c>: every definition with its graph.</summary>
    public ApiResponse ListPipelines() =>
        new(200, new JsonObject { ["pipelines"] = new JsonArray([.. _catalog.Pipelines.Select(d => (JsonNode)PipelineDocument.Describe(d))]) });

    /// <summary><c>GET /api/pipelines/{name}</c>: one definition with its graph, or 404.</summary>
    public ApiResponse GetPipeline(string name) =>
        _catalog.Find(name) is { } definition
            ? new ApiResponse(200, PipelineDocument.Describe(definition))
            : Problems.NotFound($"unknown pipeline '{name}'{NameSuggestions.DidYouMean(name, _catalog.Pipelines.Select(p => p.Name))}");

    /// <summary>The call's answer, or 503 with <c>Retry-After</c> when the run store could not answer in time.</summary>
    private async Task<ApiResponse> OrUnavailableAsync(Task<ApiResponse> call)
    {
        try
        {
            return await call;
        }
        catch (RunStoreUnavailableException ex)
        {
            Log.StoreUnavailable(_logger, ex.Message);
            return Problems.Unavailable(ex.Message);
        }
    }

    private static QueueStartOutcome Poison(IReadOnlyList<ValidationError> errors)
    {
        // The reason travels in a poison message of at most 64 KiB: list errors while they fit in a few KiB.
        var reason = new StringBuilder();
        for (var i = 0; i < errors.Count; i++)
        {
            var text = errors[i].ToString();
            if (reason.Length > 0 && reason.Length + text.Length > MaxPoisonReason)
            {
                reason.Append($"; and {errors.Count - i} more");
                break;
            }

            reason.Append(reason.Length > 0 ? "; " : string.Empty).Append(text);
        }

        return Poison(reason.ToString());
    }

    private static QueueStartOutcome Poison(string reason) => new(QueueStartDisposition.Poison, null, reason);

    private static JsonNode ToJson(PipelineExecution record) => JsonSerializer.SerializeToNode(record, PipelineJson.Options)!;

    private static JsonNode Summary(PipelineExecution r) => new JsonObject
    {
        ["runId"] = r.RunId,
        ["pipeline"] = r.Pipeline,
        ["version"] = r.Version,
        ["runner"] = r.Runner,
        ["status"] = r.Status.ToString(),
        ["createdAt"] = r.CreatedAt,
        ["startedAt"] = r.StartedAt,
        ["finishedAt"] = r.FinishedAt,
        ["durationMs"] = r.StartedAt is { } s && r.FinishedAt is { } f ? (long)(f - s).TotalMilliseconds : null,
        ["error"] = r.Error?.Message,
    };

    private static async Task<ReadOnlyMemory<byte>?> ReadLimitedAsync(Stream body, int limit, CancellationToken cancellationToken)
    {
        using var memory = new MemoryStream();
        var buffer = new byte[16 * 1024];
        int read;
        while ((read = await body.ReadAsync(buffer, cancellationToken)) > 0)
        {
            if (memory.Length + read > limit)
            {
                return null;
            }

            memory.Write(buffer, 0, read);
        }

        return memory.GetBuffer().AsMemory(0, (int)memory.Length);
    }
}
