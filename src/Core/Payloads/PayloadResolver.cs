using System.Text.Json.Nodes;

namespace DurablePipelines.Payloads;

/// <summary>Replaces every payload reference inside a JSON tree by the stored value (activity side).</summary>
public static class PayloadResolver
{
    /// <summary>A copy of <paramref name="node"/> with every <c>{ "$dpRef": … }</c> loaded, however deep.</summary>
    public static Task<JsonNode?> ResolveAsync(JsonNode? node, IPayloadStore store, CancellationToken cancellationToken) =>
        TryCopy(node, out var copy) ? Task.FromResult(copy) : ResolveReferencesAsync(node, store, cancellationToken);

    /// <summary>
    /// The copy <see cref="ResolveAsync"/> would give, made without an await, when <paramref name="node"/> holds no
    /// reference to load (false when it holds one): most values hold none.
    /// </summary>
    private static bool TryCopy(JsonNode? node, out JsonNode? copy)
    {
        copy = null;
        switch (node)
        {
            case null:
                return true;
            case JsonObject obj:
                if (PayloadReference.TryGet(obj, out _))
                {
                    return false;
                }

                var copiedObject = new JsonObject();
                for (var i = 0; i < obj.Count; i++)
                {
                    var (key, value) = obj.GetAt(i);
                    if (!TryCopy(value, out var copiedValue))
                    {
                        return false;
                    }

                    copiedObject.Add(key, copiedValue);
                }

                copy = copiedObject;
                return true;
            case JsonArray array:
                var copiedArray = new JsonArray();
                for (var i = 0; i < array.Count; i++)
                {
                    if (!TryCopy(array[i], out var copiedItem))
                    {
                        return false;
                    }

                    copiedArray.Add(copiedItem);
                }

                copy = copiedArray;
                return true;
            default:
                copy = node.DeepClone();
                return true;
        }
    }

    private static async Task<JsonNode?> ResolveReferencesAsync(JsonNode? node, IPayloadStore store, CancellationToken cancellationToken)
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
