using DurableTask.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace DurablePipelines.Durable.Hosting;

/// <summary>
/// The one <see cref="TaskHub"/> of a host process, over the backend <paramref name="createBackend"/> makes, with the
/// pipeline's orchestrators and activities (<see cref="PipelineTaskHub"/>): started by its first user (a
/// <c>dp run</c>, or <c>dp serve</c> when it starts) and stopped with the container.
/// </summary>
public sealed class TaskHubHost(IServiceProvider services, Func<IServiceProvider, IOrchestrationService> createBackend) : IAsyncDisposable
{
    private readonly SemaphoreSlim _starting = new(1, 1);
    private readonly CancellationTokenSource _stopping = new();
    private TaskHub? _hub;
    private bool _disposed;

    /// <summary>The started hub; starts it (creating the backend's resources) on first use.</summary>
    public async Task<TaskHub> GetAsync()
    {
        await _starting.WaitAsync();
        try
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            return _hub ??= await TaskHub.StartAsync(
                createBackend(services),
                PipelineTaskHub.CreateRegistry(services, _stopping.Token),
                PipelineTaskHub.Converter,
                services.GetRequiredService<ILoggerFactory>());
        }
        finally
        {
            _starting.Release();
        }
    }

    /// <summary>
    /// Stops the worker: activities see their token cancelled, work in flight goes back to the backend, which hands it
    /// out again (to this host at its next start, or to another host sharing the task hub).
    /// </summary>
    public async ValueTask DisposeAsync()
    {
        await _starting.WaitAsync();
        try
        {
            if (_disposed)
            {
                return;
            }

            _disposed = true;
            await _stopping.CancelAsync();
            if (_hub is not null)
            {
                await _hub.DisposeAsync();
            }
        }
        finally
        {
            _starting.Release();
        }

        _stopping.Dispose();
    }
}
