using Microsoft.DurableTask;

namespace DurablePipelines.Durable.Orchestrators;

/// <summary>
/// How every activity the orchestrators call is retried when it throws. The activities turn task failures into values
/// (a handler's error is an outcome, never an exception), so an activity that throws met the infrastructure: storage
/// that did not answer (an outage, a throttled account) or a host stopping under it. Those pass, so the call is tried
/// again with durable timers, from 2 s doubling to at most 1 minute, for about 8 minutes in all: a storage outage of
/// several minutes never fails a run, and a failure that does not pass still ends the run as Failed, with its cause.
/// </summary>
internal static class InfrastructureRetry
{
    public static TaskOptions Options { get; } = TaskOptions.FromRetryPolicy(new RetryPolicy(
        maxNumberOfAttempts: 12,
        firstRetryInterval: TimeSpan.FromSeconds(2),
        backoffCoefficient: 2,
        maxRetryInterval: TimeSpan.FromMinutes(1)));
}
