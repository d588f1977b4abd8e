namespace DurablePipelines.Storage.Blobs;

/// <summary>Who waits on a storage client's calls, which decides how long the client keeps retrying.</summary>
public enum StorageUse
{
    /// <summary>
    /// Work no one waits on (the records and logs runs write, payloads, events, the queue listener):
    /// exponential retries over about half a minute, so a storage hiccup never fails a run.
    /// </summary>
    Background,

    /// <summary>
    /// An API call someone waits on: a few quick retries, each request cut at
    /// <see cref="Hosting.StorageOptions.InteractiveTimeout"/>, so the caller hears about an outage at once.
    /// </summary>
    Interactive,
}
