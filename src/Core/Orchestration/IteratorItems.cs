using System.Text.Json.Nodes;
using DurablePipelines.Iterators;

namespace DurablePipelines.Orchestration;

/// <summary>The items of an iterator, the pipeline's or a task's: read here when a path can be, else by an activity.</summary>
internal static class IteratorItems
{
    /// <summary>
    /// Evaluates <paramref name="request"/>'s path over <paramref name="data"/> (<c>{ input, item, parents }</c>) as
    /// orchestration code; a source handler, or a path that crosses a stored payload, is resolved by the
    /// <see cref="ActivityNames.ResolveIterator"/> activity with <paramref name="request"/>. <paramref name="noItems"/> is
    /// the error when the activity gives neither items nor an error.
    /// </summary>
    public static async Task<IteratorEvaluation> ResolveAsync(IOrchestrationContext context, ActivityLimit limit, JsonObject data, IteratorRequest request, string noItems)
    {
        if (request.Path is { } text)
        {
            if (!IteratorPath.TryParse(text, out var path, out var error))
            {
                return IteratorEvaluation.Failed(error!);
            }

            var local = path!.Evaluate(data);
            if (!local.RequiresPayload)
            {
                return local;
            }
        }

        var outcome = await limit.CallAsync<IteratorOutcome>(context, ActivityNames.ResolveIterator, request);
        return outcome.Items is { } items ? IteratorEvaluation.Found(items) : IteratorEvaluation.Failed(outcome.Error?.Message ?? noItems);
    }
}
