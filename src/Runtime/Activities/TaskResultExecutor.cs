using System.Runtime.CompilerServices;
using System.Text.Json.Nodes;
using DurablePipelines.Definitions;
using DurablePipelines.Execution;
using DurablePipelines.Handlers;
using DurablePipelines.Hosting;
using DurablePipelines.Orchestration;
using DurablePipelines.Payloads;
using DurablePipelines.Records;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace DurablePipelines.Activities;

/// <summary>
/// The <see cref="ActivityNames.RunTaskResult"/> activity: runs one attempt of one task result's handler
/// with a token that fires on the attempt's timeout, the run's ttl or a cancel, and abandons a handler that
/// ignores it. Failures come back as values; large outputs go to the payload store.
/// </summary>
public sealed class TaskResultExecutor(HandlerRegistry handlers, IPayloadStore payloads, TimeProvider time, RunExclusivity exclusivity, IOptions<PipelineOptions> options, ILogger<TaskResultExecutor> logger) : IDisposable
{
    /// <summary>How long a handler that ignores its cancelled token is waited for before it is abandoned.</summary>
    public static readonly TimeSpan AbandonGrace = TimeSpan.FromMilliseconds(200);

    /// <summary>
    /// Handlers are signalled this long after the run's ttl expires, so the orchestration's own ttl timer has
    /// stopped scheduling by the time the results it cancels come back.
    /// </summary>
    public static readonly TimeSpan DeadlineGrace = TimeSpan.FromMilliseconds(100);

    /// <summary>How many shared contexts known by reference a host keeps, and for how long after its last use.</summary>
    public const int KeptContextCount = 16;

    private static readonly TimeSpan s_keptFor = TimeSpan.FromMinutes(10);

    private readonly ConditionalWeakTable<JsonNode, Lazy<Task<JsonNode?>>> _contextsByNode = new();
    // Full, a cache keeps no new entry until it has compacted: a quarter of 16 makes room for 4 (5% would be none).
    private readonly MemoryCache _contextsByReference = new(new MemoryCacheOptions { SizeLimit = KeptContextCount, CompactionPercentage = 0.25 });

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
            var context = await BuildContextAsync(request, cancellationToken);

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

    private async Task<TaskContext> BuildContextAsync(TaskResultRequest request, CancellationToken cancellationToken)
    {
        var shared = await SharedContextAsync(request.Context, cancellationToken) as JsonObject;
        var taskItem = await PayloadResolver.ResolveAsync(request.TaskItem, payloads, cancellationToken);
        return Context(request, shared?["input"], shared?["item"], shared?["parents"] as JsonObject, taskItem);
    }

    /// <summary>
    /// The task's shared context with its stored payloads loaded, built once for the results run here and never
    /// changed: each handler gets a copy of a part when it reads it (<see cref="TaskContext"/>), instead of every
    /// result loading, parsing and copying the whole context (a 10,000-item iterator over a 50 KB input did that
    /// 10,000 times). In process all results of a task carry the very same node; on the engine each result's request
    /// is deserialized anew, and a context that went by reference is known by its reference instead, when the store
    /// says that reference always loads the same value. A failed load is not kept: the next result loads again.
    /// </summary>
    private Task<JsonNode?> SharedContextAsync(JsonNode? context, CancellationToken cancellationToken)
    {
        if (context is null)
        {
            return Task.FromResult<JsonNode?>(null);
        }

        if (PayloadReference.TryGet(context, out var reference) && payloads.IsImmutable(reference))
        {
            var byReference = _contextsByReference.GetOrCreate(reference, entry =>
            {
                entry.Size = 1;
                entry.SlidingExpiration = s_keptFor;
                return Load(context);
            })!;
            return OnceAsync(byReference, () => _contextsByReference.Remove(reference), context, cancellationToken);
        }

        return OnceAsync(_contextsByNode.GetValue(context, Load), () => _contextsByNode.Remove(context), context, cancellationToken);
    }

    // Lazy: results starting together make one load, not one each that all but one throw away.
    private Lazy<Task<JsonNode?>> Load(JsonNode context) => new(() => PayloadResolver.ResolveAsync(context, payloads, CancellationToken.None));

    private async Task<JsonNode?> OnceAsync(Lazy<Task<JsonNode?>> kept, Action forget, JsonNode context, CancellationToken cancellationToken)
    {
        var load = kept.Value;
        try
        {
            return await load.WaitAsync(cancellationToken);
        }
        catch (Exception) when (load.IsFaulted || load.IsCanceled)
        {
            forget();
            return await PayloadResolver.ResolveAsync(context, payloads, cancellationToken);
        }
    }

    private static TaskContext Context(TaskResultRequest request, JsonNode? input, JsonNode? item, JsonObject? parents, JsonNode? taskItem) =>
        new()
        {
            InputValue = CopyOnRead.Share(input),
            ItemValue = CopyOnRead.Share(item),
            ParentsValue = parents is null ? CopyOnRead.Own(new JsonObject()) : CopyOnRead.Share(parents),
            RunId = request.RunId,
            Pipeline = request.Pipeline,
            Task = request.Task,
            PipelineResult = request.PipelineResult,
            TaskResult = request.TaskResult,
            Attempt = request.Attempt,
            TaskItem = taskItem,
            Config = request.Config?.DeepClone() as JsonObject,
            Metadata = request.Metadata,
        };

    /// <summary>Drops the kept shared contexts.</summary>
    public void Dispose() => _contextsByReference.Dispose();
}
