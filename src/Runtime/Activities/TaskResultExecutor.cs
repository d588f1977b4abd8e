using System.Runtime.CompilerServices;
using System.Text.Json.Nodes;
using DurablePipelines.Definitions;
using DurablePipelines.Execution;
using DurablePipelines.Handlers;
using DurablePipelines.Hosting;
using DurablePipelines.Orchestration;
using DurablePipelines.Payloads;
using DurablePipelines.Records;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace DurablePipelines.Activities;

/// <summary>
/// The <see cref="ActivityNames.RunTaskResult"/> activity: runs one attempt of one task result's handler
/// with a token that fires on the attempt's timeout, the run's ttl or a cancel, and abandons a handler that
/// ignores it. Failures come back as values; large outputs go to the payload store.
/// </summary>
public sealed class TaskResultExecutor(HandlerRegistry handlers, IPayloadStore payloads, TimeProvider time, RunExclusivity exclusivity, IOptions<PipelineOptions> options, ILogger<TaskResultExecutor> logger)
{
    /// <summary>How long a handler that ignores its cancelled token is waited for before it is abandoned.</summary>
    public static readonly TimeSpan AbandonGrace = TimeSpan.FromMilliseconds(200);

    /// <summary>
    /// Handlers are signalled this long after the run's ttl expires, so the orchestration's own ttl timer has
    /// stopped scheduling by the time the results it cancels come back.
    /// </summary>
    public static readonly TimeSpan DeadlineGrace = TimeSpan.FromMilliseconds(100);

    private readonly ConditionalWeakTable<JsonNode, Lazy<Task<JsonNode?>>> _loadedContexts = new();

    /// <summary>Runs the attempt; <paramref name="cancellationToken"/> is the run's cancel signal.</summary>
    public async Task<TaskResultOutcome> RunAsync(TaskResultRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var startedAt = time.GetUtcNow().UtcDateTime;

        // Without a time limit the attempt's token is the run's own: a linked source would fire exactly when it does.
        // The limit runs on the executor's clock (CancelAfter would always use the system's).
        var (limit, byDeadline) = Limit(request, startedAt);
        using var limitCts = limit is { } l ? new CancellationTokenSource(l, time) : null;
        using var attemptCts = limitCts is null ? null : CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, limitCts.Token);
        var attemptToken = attemptCts?.Token ?? cancellationToken;

        Task<JsonNode?>? work = null;
        try
        {
            var handler = handlers.GetTask(request.Handler);
            var runnerName = request.Runner ?? options.Value.Execution;
            var runner = handlers.GetTaskRunner(runnerName);
            var context = TryBuildContext(request) ?? await BuildContextAsync(request, cancellationToken);

            // A 'main' result executes alone among its run's results here, and is never abandoned: it holds its turn
            // until the handler returns.
            var alone = runnerName == Executions.Main;
            using var turn = request.RunHasMain || options.Value.Execution == Executions.Main
                ? await exclusivity.EnterAsync(request.RunId, alone, attemptToken)
                : null;

            // The attempt starts when it may execute: a result that waited for a 'main' one did not run meanwhile.
            startedAt = Now();
            work = runner.RunAsync(new TaskRun(request.Handler, handler, context), attemptToken);
            var output = alone || runner.StopsHandlers ? await work : await WaitAsync(work, attemptToken);

            // Every record holds the output 7 levels down (JsonLimits.RecordMargin): one deeper than the limit
            // would fail the record's save, so it fails this attempt instead, with the reason.
            if (JsonLimits.DepthOf(output) is var depth && depth > JsonLimits.MaxValueDepth)
            {
                throw new InvalidOperationException($"the output nests deeper than {JsonLimits.MaxValueDepth} levels, the limit for a task's output ({depth} levels)");
            }

            if (PayloadOffloader.IsLarge(output, request.InlinePayloadLimit))
            {
                var name = $"{request.PipelineResult}/{request.Task}/{request.TaskResult}/output";
                output = PayloadReference.Create(await payloads.StoreAsync(request.RunId, name, output, cancellationToken));
            }

            return new TaskResultOutcome { Succeeded = true, Output = output, StartedAt = startedAt, FinishedAt = Now() };
        }
        catch (OperationCanceledException stopped) when (attemptToken.IsCancellationRequested)
        {
            var why = cancellationToken.IsCancellationRequested ? "the run was cancelled"
                : byDeadline ? "the run's ttl expired"
                : $"timed out after {request.Timeout}";
            var abandoned = stopped is TaskProcessKilledException killed ? $" ({killed.Message})"
                : work is { IsCompleted: false } ? " (the handler ignored its cancellation token and was abandoned)"
                : string.Empty;
            Log.AttemptTimedOut(logger, request.RunId, request.Task, request.TaskResult, request.Attempt, why);
            return new TaskResultOutcome
            {
                TimedOut = true,
                Error = new TaskError(typeof(TimeoutException).FullName!, $"{why}{abandoned}"),
                StartedAt = startedAt,
                FinishedAt = Now(),
            };
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            Log.AttemptFailed(logger, request.RunId, request.Task, request.TaskResult, request.Attempt, ex.Message);
            var error = ex is TaskProcessException inProcess ? new TaskError(inProcess.ErrorType, inProcess.Message) : TaskError.From(ex);
            return new TaskResultOutcome { Error = error, StartedAt = startedAt, FinishedAt = Now() };
        }
    }

    private DateTime Now() => time.GetUtcNow().UtcDateTime;

    /// <summary>The attempt's time limit, and whether the run's ttl (rather than the task's timeout) sets it.</summary>
    private static (TimeSpan? Limit, bool ByDeadline) Limit(TaskResultRequest request, DateTime now)
    {
        if (request.Deadline is not { } deadline)
        {
            return (request.Timeout, false);
        }

        var left = deadline + DeadlineGrace - now;
        left = left < TimeSpan.Zero ? TimeSpan.Zero : left;
        return request.Timeout is { } t && t < left ? (t, false) : (left, true);
    }

    /// <summary>Waits for the handler, but no longer than its token plus a short grace once the token fires.</summary>
    private async Task<JsonNode?> WaitAsync(Task<JsonNode?> work, CancellationToken token)
    {
        if (work.IsCompleted || !token.CanBeCanceled)
        {
            return await work;
        }

        var cancelled = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using (token.Register(() => cancelled.TrySetResult()))
        {
            var first = await Task.WhenAny(work, cancelled.Task);
            if (first == work)
            {
                return await work;
            }
        }

        // The token fired: give the handler a moment to stop by itself, then abandon it.
        var finished = await Task.WhenAny(work, Task.Delay(AbandonGrace, time, CancellationToken.None));
        if (finished == work && work.IsCompletedSuccessfully)
        {
            return await work;
        }

        work.ContinueWith(t => _ = t.Exception, TaskScheduler.Default).Forget();
        throw new OperationCanceledException(token);
    }

    /// <summary>
    /// The handler's context without awaiting, when neither the shared context nor the item holds a stored payload:
    /// copies of the parts a handler sees, not of the whole shared context.
    /// </summary>
    private static TaskContext? TryBuildContext(TaskResultRequest request)
    {
        var shared = request.Context as JsonObject;
        if (shared is not null && PayloadReference.TryGet(shared, out _))
        {
            return null;
        }

        return PayloadResolver.TryCopy(shared?["input"], out var input)
            && PayloadResolver.TryCopy(shared?["item"], out var item)
            && PayloadResolver.TryCopy(shared?["parents"], out var parents)
            && PayloadResolver.TryCopy(request.TaskItem, out var taskItem)
            ? Context(request, input, item, parents as JsonObject, taskItem)
            : null;
    }

    private async Task<TaskContext> BuildContextAsync(TaskResultRequest request, CancellationToken cancellationToken)
    {
        var shared = await ResolveSharedContextAsync(request.Context, cancellationToken) as JsonObject;
        var taskItem = await PayloadResolver.ResolveAsync(request.TaskItem, payloads, cancellationToken);
        return Context(request, shared?["input"], shared?["item"], shared?["parents"] as JsonObject, taskItem);
    }

    /// <summary>
    /// The task's shared context with its stored payloads loaded. All results of a task carry the same context, in
    /// process the very same node: the results run here load it once and each gets its own copy, instead of each
    /// downloading and parsing it (a 10,000-item iterator over a stored input did that 10,000 times). A failed load
    /// is not kept: the next result loads again, as before.
    /// </summary>
    private async Task<JsonNode?> ResolveSharedContextAsync(JsonNode? context, CancellationToken cancellationToken)
    {
        if (context is null)
        {
            return await PayloadResolver.ResolveAsync(context, payloads, cancellationToken);
        }

        // Lazy: results starting together make one load, not one each that all but one throw away.
        var load = _loadedContexts.GetValue(context, c => new Lazy<Task<JsonNode?>>(() => PayloadResolver.ResolveAsync(c, payloads, CancellationToken.None))).Value;
        try
        {
            return PayloadResolver.Copy(await load.WaitAsync(cancellationToken));
        }
        catch (Exception) when (load.IsFaulted || load.IsCanceled)
        {
            _loadedContexts.Remove(context);
            return await PayloadResolver.ResolveAsync(context, payloads, cancellationToken);
        }
    }

    private static TaskContext Context(TaskResultRequest request, JsonNode? input, JsonNode? item, JsonObject? parents, JsonNode? taskItem) =>
        new()
        {
            RunId = request.RunId,
            Pipeline = request.Pipeline,
            Task = request.Task,
            PipelineResult = request.PipelineResult,
            TaskResult = request.TaskResult,
            Attempt = request.Attempt,
            Input = input,
            Item = item,
            TaskItem = taskItem,
            Parents = parents ?? [],
            Config = request.Config?.DeepClone() as JsonObject,
            Metadata = request.Metadata,
        };
}
