using System.Text.Json.Nodes;
using DurablePipelines.Handlers;

namespace DurablePipelines.Examples.Tests.Handlers;

internal static class HandlerContext
{
    public static TaskContext Create(JsonObject? config = null, JsonNode? input = null, JsonNode? item = null, JsonNode? taskItem = null, JsonObject? parents = null) => new()
    {
        RunId = "r1",
        Pipeline = "p",
        Task = "t",
        Config = config,
        Input = input,
        Item = item,
        TaskItem = taskItem,
        Parents = parents ?? [],
    };
}
