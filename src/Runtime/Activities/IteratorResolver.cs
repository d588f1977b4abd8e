using System.Text.Json.Nodes;
using DurablePipelines.Handlers;
using DurablePipelines.Iterators;
using DurablePipelines.Orchestration;
using DurablePipelines.Payloads;
using DurablePipelines.Records;
using Microsoft.Extensions.Logging;

namespace DurablePipelines.Activities;

/// <summary>
/// The <see cref="ActivityNames.ResolveIterator"/> activity: lists items through an <see cref="IIteratorSource"/>,
/// or reads a path that crosses stored payloads.
/// </summary>
public sealed class IteratorResolver(HandlerRegistry handlers, IPayloadStore payloads, ILogger<IteratorResolver> logger)
{
    /// <summary>Resolves the iterator; a failure comes back as a value.</summary>
    public async Task<IteratorOutcome> ResolveAsync(IteratorRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        try
        {
            var context = await PayloadResolver.ResolveAsync(request.Context, payloads, cancellationToken) as JsonObject ?? [];
            if (request.Path is { } text)
            {
                if (!IteratorPath.TryParse(text, out var path, out var error))
                {
                    return new IteratorOutcome(null, new TaskError(TaskErrorTypes.IteratorFailed, error!));
                }

                var found = await path!.EvaluateAsync(context, r => payloads.LoadAsync(r, cancellationToken));
                return found.Items is { } items
                    ? new IteratorOutcome(items, null)
                    : new IteratorOutcome(null, new TaskError(TaskErrorTypes.IteratorFailed, found.Error!));
            }

            var source = handlers.GetIteratorSource(request.Handler ?? throw new ArgumentException("an iterator request needs a path or a handler", nameof(request)));
            var listed = await source.GetItemsAsync(
                new TaskContext
                {
                    RunId = request.RunId,
                    Pipeline = request.Pipeline,
                    Task = request.Task ?? string.Empty,
                    PipelineResult = Math.Max(0, request.PipelineResult),
                    Input = context["input"],
                    Item = context["item"],
                    Parents = context["parents"] as JsonObject ?? [],
                    Config = request.Config?.DeepClone() as JsonObject,
                },
                cancellationToken);
            return new IteratorOutcome(listed, null);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException and not OperationCanceledException)
        {
            Log.IteratorFailed(logger, request.RunId, request.Task, ex.Message);
            return new IteratorOutcome(null, TaskError.From(ex));
        }
    }
}
