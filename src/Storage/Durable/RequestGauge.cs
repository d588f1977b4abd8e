using Azure.Core;
using Azure.Core.Pipeline;

namespace DurablePipelines.Storage.Durable;

/// <summary>
/// How many storage requests a backend's clients have begun and not finished: those in flight and those waiting for
/// one of the backend's <c>MaxStorageOperationConcurrency</c> request slots. Added per call before the backend adds its
/// own limit (<see cref="AzureStorageTaskHub.AddPolicy"/>), so it counts the wait too.
/// </summary>
public sealed class RequestGauge : HttpPipelinePolicy
{
    private int _count;

    /// <summary>The requests begun and not finished now.</summary>
    public int Count => Volatile.Read(ref _count);

    public override void Process(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline)
    {
        Interlocked.Increment(ref _count);
        try
        {
            ProcessNext(message, pipeline);
        }
        finally
        {
            Interlocked.Decrement(ref _count);
        }
    }

    public override async ValueTask ProcessAsync(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline)
    {
        Interlocked.Increment(ref _count);
        try
        {
            await ProcessNextAsync(message, pipeline);
        }
        finally
        {
            Interlocked.Decrement(ref _count);
        }
    }
}
