using System.Text.Json.Nodes;

namespace DurablePipelines.LocalDurable;

/// <summary>Publishes run events (<c>StateChanged</c>, <c>Finished</c>) for other systems, such as the <c>pipeline-events</c> queue.</summary>
public interface IRunEventPublisher
{
    /// <summary>Publishes one event: <c>{ "type": …, "runId": …, "time": …, … }</c>.</summary>
    Task PublishAsync(JsonObject runEvent, CancellationToken cancellationToken);
}
