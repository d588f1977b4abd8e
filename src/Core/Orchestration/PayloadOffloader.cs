using System.Buffers;
using System.Text.Json;
using System.Text.Json.Nodes;
using DurablePipelines.Payloads;

namespace DurablePipelines.Orchestration;

/// <summary>Keeps large values out of orchestration history: above the limit they are stored and referenced.</summary>
internal static class PayloadOffloader
{
    /// <summary>
    /// Returns <paramref name="value"/> itself when its JSON fits in <paramref name="inlineLimit"/> bytes, otherwise
    /// stores it through the <see cref="ActivityNames.StorePayload"/> activity and returns the reference.
    /// </summary>
    public static async Task<JsonNode> MaybeStoreAsync(IOrchestrationContext context, ActivityLimit limit, string runId, string name, JsonNode value, int inlineLimit) =>
        IsLarge(value, inlineLimit) ? await StoreAsync(context, limit, runId, name, value) : value;

    /// <summary>
    /// Stores <paramref name="value"/> through the <see cref="ActivityNames.StorePayload"/> activity, in a slot of
    /// <paramref name="limit"/>, and returns the reference.
    /// </summary>
    public static async Task<JsonNode> StoreAsync(IOrchestrationContext context, ActivityLimit limit, string runId, string name, JsonNode value)
    {
        var reference = await limit.CallAsync<string>(context, ActivityNames.StorePayload, new StorePayloadRequest(runId, name, value));
        return PayloadReference.Create(reference);
    }

    /// <summary>True when the value's JSON is longer than <paramref name="limit"/> bytes.</summary>
    public static bool IsLarge(JsonNode? value, int limit)
    {
        if (value is null || limit == int.MaxValue)
        {
            return false;
        }

        // Every task's context and every output is measured: count the bytes with a writer kept per thread
        // instead of allocating a stream, a writer and its buffer each time.
        var counter = s_threadCounter ??= new ByteCounter();
        return counter.Measure(value) > limit;
    }

    [ThreadStatic]
    private static ByteCounter? s_threadCounter;

    /// <summary>
    /// Counts the bytes a value's JSON takes; the bytes themselves go to a scratch buffer and are dropped. One lives
    /// as long as its thread.
    /// </summary>
    private sealed class ByteCounter : IBufferWriter<byte>, IDisposable
    {
        private readonly Utf8JsonWriter _writer;
        private byte[] _scratch = new byte[4096];
        private long _length;

        public ByteCounter() => _writer = new Utf8JsonWriter(this);

        public long Measure(JsonNode value)
        {
            _length = 0;
            _writer.Reset(this);
            value.WriteTo(_writer);
            _writer.Flush();
            return _length;
        }

        public void Advance(int count) => _length += count;

        public void Dispose() => _writer.Dispose();

        public Memory<byte> GetMemory(int sizeHint = 0) => Scratch(sizeHint);

        public Span<byte> GetSpan(int sizeHint = 0) => Scratch(sizeHint);

        private byte[] Scratch(int sizeHint)
        {
            if (sizeHint > _scratch.Length)
            {
                _scratch = new byte[Math.Max(sizeHint, _scratch.Length * 2)];
            }

            return _scratch;
        }
    }
}
