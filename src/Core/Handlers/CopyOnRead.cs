using System.Text.Json.Nodes;

namespace DurablePipelines.Handlers;

/// <summary>
/// A JSON value a handler may change as it likes: its own from the start, or copied the first time it is read from a
/// value shared with the other results of its task, which nobody changes. A handler that never reads it costs no copy
/// (the results of a 10,000-item iterator each copied the whole run input for handlers that never looked at it).
/// </summary>
internal sealed class CopyOnRead
{
    private readonly JsonNode? _shared;
    private JsonNode? _value;
    private volatile bool _owned;

    private CopyOnRead(JsonNode? shared, JsonNode? value, bool owned)
    {
        _shared = shared;
        _value = value;
        _owned = owned;
    }

    /// <summary>A value the handler owns already.</summary>
    public static CopyOnRead Own(JsonNode? value) => new(null, value, owned: true);

    /// <summary>A value shared with other results, fully built and never changed: copied when first read.</summary>
    public static CopyOnRead Share(JsonNode? shared) => new(shared, null, owned: shared is null);

    /// <summary>The handler's own value, the same node on every read (of two first reads at once, one copy wins).</summary>
    public JsonNode? Value
    {
        get
        {
            if (!_owned)
            {
                Interlocked.CompareExchange(ref _value, _shared!.DeepClone(), null);
                _owned = true;
            }

            return _value;
        }
    }

    /// <summary>A copy of the value as it is now (with the handler's changes once it has read it), without making the handler's own.</summary>
    public JsonNode? Copy() => (_owned ? _value : _shared)?.DeepClone();
}
