using System.Text.Json.Nodes;

namespace DurablePipelines.Payloads;

/// <summary>Replaces every payload reference inside a JSON tree by the stored value (activity side).</summary>
public static class PayloadResolver
{
    /// <summary>A copy of <paramref name="node"/> with every <c>{ "$dpRef": … }</c> loaded, however deep.</summary>
    public static async Task<JsonNode?> ResolveAsync(JsonNode? node, IPayloadStore store, CancellationToken cancellationToken)
    {
        while (PayloadReference.TryGet(node, out var reference))
        {
            node = await store.LoadAsync(reference, cancellationToken);
        }

        switch (node)
        {
            case JsonObject obj:
                var copy = new JsonObject();
                foreach (var (key, value) in obj)
                {
                    copy[key] = await ResolveAsync(value, store, cancellationToken);
                }

                return copy;
            case JsonArray array:
                var list = new JsonArray();
                foreach (var value in array)
                {
                    list.Add(await ResolveAsync(value, store, cancellationToken));
                }

                return list;
            default:
                return node?.DeepClone();
        }
    }
}
