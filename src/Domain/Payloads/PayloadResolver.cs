using System.Text.Json.Nodes;

namespace DurablePipelines.Payloads;

/// <summary>Replaces every payload reference inside a JSON tree by the stored value (activity side).</summary>
public static class PayloadResolver
{
    /// <summary>A copy of <paramref name="node"/> with every <c>{ "$dpRef": … }</c> loaded, however deep.</summary>
    public static Task<JsonNode?> ResolveAsync(JsonNode? node, IPayloadStore store, CancellationToken cancellationToken) =>
        TryCopy(node, out var copy) ? Task.FromResult(copy) : ResolveReferencesAsync(node, store, cancellationToken);

    /// <summary>The copy <see cref="ResolveAsync"/> would give, when <paramref name="node"/> holds no reference to load.</summary>
    internal static bool TryCopy(JsonNode? node, out JsonNode? copy)
    {
        copy = HasReference(node) ? null : Copy(node);
        return copy is not null || node is null;
    }

    // Every task result resolves its context: most hold no reference, and copying them needs no await.
    private static bool HasReference(JsonNode? node)
    {
        switch (node)
        {
            case JsonObject obj:
                if (PayloadReference.TryGet(obj, out _))
                {
                    return true;
                }

                for (var i = 0; i < obj.Count; i++)
                {
                    if (HasReference(obj.GetAt(i).Value))
                    {
                        return true;
                    }
                }

                return false;
            case JsonArray array:
                for (var i = 0; i < array.Count; i++)
                {
                    if (HasReference(array[i]))
                    {
                        return true;
                    }
                }

                return false;
            default:
                return false;
        }
    }

    /// <summary>The same copy as <see cref="ResolveAsync"/> makes, for a tree without references.</summary>
    internal static JsonNode? Copy(JsonNode? node)
    {
        switch (node)
        {
            case JsonObject obj:
                var copy = new JsonObject();
                for (var i = 0; i < obj.Count; i++)
                {
                    var (key, value) = obj.GetAt(i);
                    copy[key] = Copy(value);
                }

                return copy;
            case JsonArray array:
                var list = new JsonArray();
                for (var i = 0; i < array.Count; i++)
                {
                    list.Add(Copy(array[i]));
                }

                return list;
            default:
                return node?.DeepClone();
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
