using System.Text.Json;
using System.Text.Json.Nodes;
using DurablePipelines.Payloads;

namespace DurablePipelines.Orchestration;

/// <summary>Keeps large values out of orchestration history: above the limit they are stored and referenced.</summary>
internal static class PayloadOffloader
{
    /// <summary>
    /// Returns <paramref name="value"/> itself when its JSON fits in <paramref name="limit"/> bytes, otherwise
    /// stores it through the <see cref="ActivityNames.StorePayload"/> activity and returns the reference.
    /// </summary>
    public static async Task<JsonNode> MaybeStoreAsync(IOrchestrationContext context, string runId, string name, JsonNode value, int limit)
    {
        if (!IsLarge(value, limit))
        {
            return value;
        }

        var reference = await context.CallActivityAsync<string>(ActivityNames.StorePayload, new StorePayloadRequest(runId, name, value));
        return PayloadReference.Create(reference);
    }

    /// <summary>True when the value's JSON is longer than <paramref name="limit"/> bytes.</summary>
    public static bool IsLarge(JsonNode? value, int limit)
    {
        if (value is null || limit == int.MaxValue)
        {
            return false;
        }

        using var counter = new ByteCounter();
        using (var writer = new Utf8JsonWriter(counter))
        {
            value.WriteTo(writer);
        }

        return counter.Length > limit;
    }

    private sealed class ByteCounter : Stream
    {
        public override bool CanRead => false;

        public override bool CanSeek => false;

        public override bool CanWrite => true;

        public override long Length => _length;

        public override long Position { get => _length; set => throw new NotSupportedException(); }

        private long _length;

        public override void Flush()
        {
        }

        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => _length += count;

        public override void Write(ReadOnlySpan<byte> buffer) => _length += buffer.Length;
    }
}
