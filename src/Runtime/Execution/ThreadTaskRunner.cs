using System.Text.Json.Nodes;
using DurablePipelines.Handlers;

namespace DurablePipelines.Execution;

/// <summary>
/// <c>thread</c>: each attempt runs on a dedicated thread, so a handler that blocks (sleeps, waits on a lock, computes)
/// holds that thread, never one of the pool's the orchestrations and other results need. Its synchronous work runs
/// there; what follows an await of real asynchronous work continues on the pool. It stops only if it honours its
/// token; one that ignores it is abandoned after a short grace and its thread runs on to the handler's end.
/// </summary>
internal sealed class ThreadTaskRunner : ITaskRunner
{
    public Task<JsonNode?> RunAsync(TaskRun run, CancellationToken cancellationToken)
    {
        var done = new TaskCompletionSource<JsonNode?>(TaskCreationOptions.RunContinuationsAsynchronously);
        var thread = new Thread(() =>
        {
            try
            {
                done.TrySetResult(run.Task.ExecuteAsync(run.Context, cancellationToken).GetAwaiter().GetResult());
            }
            catch (OperationCanceledException ex)
            {
                done.TrySetCanceled(ex.CancellationToken);
            }
            catch (Exception ex)
            {
                done.TrySetException(ex);
            }
        })
        {
            IsBackground = true,
            Name = $"dp {run.Context.Task}[{run.Context.TaskResult}]",
        };
        thread.Start();
        return done.Task;
    }
}
