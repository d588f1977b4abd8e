using DurableTask.AzureStorage;
using DurableTask.AzureStorage.Tracking;
using DurableTask.Core;

namespace DurablePipelines.Storage.Durable;

/// <summary>
/// DurableTask.AzureStorage's purge of instances, choosing which it may delete. The backend deletes an instance's
/// large-message blobs (inputs, outputs and events too large for a queue message or a table row, stored under
/// <c>{instance id}/</c>) by listing the blobs whose names begin with the instance id, with no <c>/</c> after it: purging
/// <c>run-1</c> also deleted the blobs of <c>run-10</c>, <c>run-1-again</c> and of a chunk <c>run-1:10</c>, whether
/// they had ended or not (read in the backend's source; <c>HistoryPurgeTests</c>). So an instance is purged here only
/// when no instance that stays has an id that begins with its id, and only if it still matches when its turn comes.
/// </summary>
internal static class InstancePurge
{
    private const int PageSize = 1000;

    // Purges at once; each is a handful of requests (a history query, batch deletes, a blob listing, a row delete).
    private const int Parallelism = 4;

    private static readonly OrchestrationStatus[] s_everyStatus = Enum.GetValues<OrchestrationStatus>();

    /// <summary>
    /// Purges the ended instances <paramref name="selected"/> picks, but not one whose id begins another's that stays;
    /// no purge starts after <paramref name="timeout"/> (the result then says it is not complete).
    /// </summary>
    public static async Task<PurgeResult> PurgeAsync(AzureStorageOrchestrationService storage, Func<OrchestrationState, bool> selected, TimeSpan? timeout)
    {
        using var limit = new CancellationTokenSource(timeout ?? Timeout.InfiniteTimeSpan);
        bool Purgeable(OrchestrationState s) => IsEnded(s.OrchestrationStatus) && selected(s);
        var deleted = 0;
        try
        {
            var (purge, stay) = await ListAsync(storage, Purgeable, limit.Token);
            await Parallel.ForEachAsync(
                purge.Where(id => !BeginsAnother(id, stay)),
                new ParallelOptions { MaxDegreeOfParallelism = Parallelism, CancellationToken = limit.Token },
                async (id, _) =>
                {
                    // Its run id may have started again since the listing: a purge deletes whatever the instance is now.
                    var now = (await storage.GetOrchestrationStateAsync(id, allExecutions: false, fetchInput: false)).SingleOrDefault();
                    if (now is not null && Purgeable(now))
                    {
                        Interlocked.Add(ref deleted, (await storage.PurgeInstanceHistoryAsync(id)).InstancesDeleted);
                    }
                });
        }
        catch (OperationCanceledException) when (limit.IsCancellationRequested)
        {
            return new PurgeResult(deleted, isComplete: false);
        }

        return new PurgeResult(deleted, isComplete: true);
    }

    /// <summary>True when some id in <paramref name="sorted"/> (ordinal order, each once), other than <paramref name="id"/>, begins with it.</summary>
    internal static bool BeginsAnother(string id, string[] sorted)
    {
        // Ids that begin with `id` sort right after it: the one after it (or where it would be) is the one to look at.
        var at = Array.BinarySearch(sorted, id, StringComparer.Ordinal);
        var next = at >= 0 ? at + 1 : ~at;
        return next < sorted.Length && sorted[next].StartsWith(id, StringComparison.Ordinal);
    }

    private static bool IsEnded(OrchestrationStatus status) =>
        status is OrchestrationStatus.Completed or OrchestrationStatus.Failed or OrchestrationStatus.Terminated or OrchestrationStatus.Canceled;

    /// <summary>Every instance of the hub, without inputs or outputs: those to purge, and the ids of the rest, sorted.</summary>
    private static async Task<(List<string> Purge, string[] Stay)> ListAsync(AzureStorageOrchestrationService storage, Func<OrchestrationState, bool> purgeable, CancellationToken cancellationToken)
    {
        // A condition on the status (every status) is what makes the backend leave out the inputs and outputs: with
        // no condition at all it reads whole rows and downloads the large ones from their blobs.
        var condition = new OrchestrationInstanceStatusQueryCondition { RuntimeStatus = s_everyStatus, FetchInput = false, FetchOutput = false };
        var purge = new List<string>();
        var stay = new List<string>();
        string? continuation = null;
        do
        {
            var page = await storage.GetOrchestrationStateAsync(condition, PageSize, continuation, cancellationToken);
            foreach (var state in page.OrchestrationState)
            {
                (purgeable(state) ? purge : stay).Add(state.OrchestrationInstance.InstanceId);
            }

            continuation = page.ContinuationToken;
        }
        while (!string.IsNullOrEmpty(continuation));

        var sorted = stay.ToArray();
        Array.Sort(sorted, StringComparer.Ordinal);
        return (purge, sorted);
    }
}
