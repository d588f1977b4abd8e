using System.Text.Json.Nodes;

namespace DurablePipelines.Orchestration;

/// <summary>
/// An event an operator or a system raised on a run (<c>POST /api/runs/{runId}/events/{name}</c>), sent to its
/// orchestrations as <see cref="OrchestrationEvents.RunEvent"/>: the results of <c>wait</c> tasks waiting for
/// <paramref name="Name"/> end with <paramref name="Payload"/> as their output.
/// </summary>
/// <param name="Name">The event's name.</param>
/// <param name="Payload">The event's JSON body; null when it had none.</param>
public sealed record RunEventMessage(string Name, JsonNode? Payload);
