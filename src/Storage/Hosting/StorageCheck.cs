using Azure;
using Azure.Identity;
using DurablePipelines.Storage.Blobs;

namespace DurablePipelines.Storage.Hosting;

/// <summary>
/// Whether the storage account answers and accepts the clients' API version, asked before a host starts: when it
/// does not, one line says what is wrong and how to fix it, which the local host prints instead of a stack trace.
/// </summary>
public static class StorageCheck
{
    /// <summary>
    /// Null when the blob and queue services answer; otherwise the problem and its fix, in one line. The check
    /// uses the background clients, so storage that is still starting (an Azurite started a moment earlier) gets
    /// their whole retry budget; a refused API version is reported at once.
    /// </summary>
    public static async Task<string?> FindProblemAsync(StorageOptions storage, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(storage);
        var blobs = StorageClients.CreateBlobServiceClient(storage);
        var queues = StorageClients.CreateQueueServiceClient(storage);
        var endpoint = blobs.Uri;
        try
        {
            await blobs.GetBlobContainerClient(storage.RunsContainer).ExistsAsync(cancellationToken);
            endpoint = queues.Uri;
            await queues.GetQueueClient(storage.StartQueue).ExistsAsync(cancellationToken);
            return null;
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested && Explain(ex, endpoint) is { } problem)
        {
            return problem;
        }
    }

    /// <summary>
    /// One line naming the cause of a failed storage call the caller did not cancel, and the fix; null for a
    /// failure that is not about storage (a bug, which should surface as it is).
    /// </summary>
    public static string? Explain(Exception exception, Uri endpoint)
    {
        ArgumentNullException.ThrowIfNull(exception);
        ArgumentNullException.ThrowIfNull(endpoint);
        var reason = StorageFailures.Reason(exception);
        if (StorageFailures.IsUnsupportedVersion(exception))
        {
            return $"storage at {endpoint} does not accept API version {ApiVersion}, the one this app sends ({FirstWords(reason)}): " +
                "update Azurite to 3.37.0 or later, or start it with --skipApiVersionCheck";
        }

        return exception switch
        {
            _ when StorageFailures.IsUnavailable(exception, CancellationToken.None) =>
                $"storage at {endpoint} cannot be reached ({reason}): start Azurite, or check AzureWebJobsStorage",
            AuthenticationFailedException =>
                $"no token for storage at {endpoint} ({reason}): check AzureWebJobsStorage__credential and __clientId, or sign in (az login)",
            RequestFailedException or AggregateException { InnerException: RequestFailedException } =>
                $"storage at {endpoint} refused the request ({reason}): check AzureWebJobsStorage",
            _ => null,
        };
    }

    // Azurite's refusal is a paragraph; its first sentence names the version.
    private static string FirstWords(string reason) => reason.IndexOf(". ", StringComparison.Ordinal) is > 0 and var end ? reason[..end] : reason;

    /// <summary>The API version the clients send, as the service spells it: <c>V2026_06_06</c> is <c>2026-06-06</c>.</summary>
    internal static string ApiVersion => StorageClients.BlobServiceVersion.ToString()[1..].Replace('_', '-');
}
