using System.Text.Json.Nodes;
using Microsoft.Azure.Functions.Worker;

namespace DurablePipelines.FunctionApp.Http;

/// <summary>Durable's check-status payload as JSON, with the property names Durable's own HTTP API uses.</summary>
internal static class ManagementLinks
{
    public static JsonObject From(HttpManagementPayload payload)
    {
        ArgumentNullException.ThrowIfNull(payload);
        return new JsonObject
        {
            ["id"] = payload.Id,
            ["statusQueryGetUri"] = payload.StatusQueryGetUri,
            ["sendEventPostUri"] = payload.SendEventPostUri,
            ["terminatePostUri"] = payload.TerminatePostUri,
            ["suspendPostUri"] = payload.SuspendPostUri,
            ["resumePostUri"] = payload.ResumePostUri,
            ["purgeHistoryDeleteUri"] = payload.PurgeHistoryDeleteUri,
        };
    }
}
