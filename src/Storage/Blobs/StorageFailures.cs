using Azure;

namespace DurablePipelines.Storage.Blobs;

/// <summary>What a storage failure means: storage is down or busy (the same call may succeed later), or it refused something a person has to fix.</summary>
internal static class StorageFailures
{
    /// <summary>
    /// True when storage could not be reached, answered that it is busy or failing (408, 429, 5xx), or did not answer
    /// in time (a cancellation <paramref name="callerToken"/> did not ask for), also after the client's own retries
    /// (an <see cref="AggregateException"/> of such failures).
    /// </summary>
    public static bool IsUnavailable(Exception exception, CancellationToken callerToken) => exception switch
    {
        RequestFailedException e => e.Status is 0 or 408 or 429 or >= 500,
        AggregateException e => e.InnerExceptions.Count > 0 && e.InnerExceptions.All(inner => IsUnavailable(inner, callerToken)),
        OperationCanceledException => !callerToken.IsCancellationRequested,
        HttpRequestException or IOException or TimeoutException => true,
        _ => false,
    };

    /// <summary>
    /// True when the service refused the API version the clients send (<see cref="StorageClients.BlobServiceVersion"/>):
    /// an Azurite older than the one package.json pins, or a storage emulator that does not know it yet.
    /// </summary>
    public static bool IsUnsupportedVersion(Exception exception) => exception switch
    {
        RequestFailedException { Status: 400, ErrorCode: "InvalidHeaderValue" } e =>
            e.Message.Contains("API version", StringComparison.OrdinalIgnoreCase) || e.Message.Contains("x-ms-version", StringComparison.OrdinalIgnoreCase),
        AggregateException e => e.InnerExceptions.Any(IsUnsupportedVersion),
        _ => false,
    };

    /// <summary>The failure in a few words, for a problem detail or a one-line error: the service's own message, first line.</summary>
    public static string Reason(Exception exception) => exception switch
    {
        AggregateException { InnerExceptions.Count: > 0 } e => Reason(e.InnerExceptions[^1]),
        RequestFailedException { Status: 0 } e => FirstLine(e.InnerException?.Message ?? e.Message),
        RequestFailedException e => $"{e.Status} {e.ErrorCode}: {FirstLine(e.Message)}",
        _ => FirstLine(exception.Message),
    };

    private static string FirstLine(string text)
    {
        var line = text.AsSpan().Trim();
        var end = line.IndexOfAny('\r', '\n');
        return (end < 0 ? line : line[..end]).TrimEnd().ToString();
    }
}
