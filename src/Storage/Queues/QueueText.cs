using System.Text;
using System.Text.Json;
using System.Text.Unicode;

namespace DurablePipelines.Storage.Queues;

/// <summary>Queue message text in and out: base64 or plain JSON, within the service's 64 KiB limit.</summary>
public static class QueueText
{
    /// <summary>The largest message text the service accepts.</summary>
    public const int MaxMessageLength = 64 * 1024;

    /// <summary>
    /// The JSON text of a received message: the base64-decoded text when the message is base64 of valid UTF-8
    /// JSON (what Azure Functions and most SDKs send), else the message as it is (plain JSON, or anything else,
    /// which the start delegate then refuses).
    /// </summary>
    public static string Decode(string raw)
    {
        var trimmed = raw.AsSpan().Trim();
        if (trimmed.IsEmpty || trimmed.Length % 4 != 0)
        {
            return raw;
        }

        var bytes = new byte[trimmed.Length / 4 * 3];
        if (!Convert.TryFromBase64Chars(trimmed, bytes, out var written))
        {
            return raw;
        }

        var decoded = bytes.AsSpan(0, written);
        if (decoded.StartsWith(Encoding.UTF8.Preamble))
        {
            decoded = decoded[Encoding.UTF8.Preamble.Length..];
        }

        return Utf8.IsValid(decoded) && IsJson(decoded) ? Encoding.UTF8.GetString(decoded) : raw;
    }

    /// <summary>The message text for <paramref name="utf8"/>, or null when it would exceed the limit.</summary>
    public static string? Encode(ReadOnlySpan<byte> utf8, bool base64)
    {
        if (base64)
        {
            return Base64Length(utf8.Length) <= MaxMessageLength ? Convert.ToBase64String(utf8) : null;
        }

        return utf8.Length <= MaxMessageLength ? Encoding.UTF8.GetString(utf8) : null;
    }

    private static long Base64Length(int length) => (length + 2L) / 3 * 4;

    private static bool IsJson(ReadOnlySpan<byte> utf8)
    {
        try
        {
            var reader = new Utf8JsonReader(utf8);
            while (reader.Read())
            {
            }

            return reader.BytesConsumed > 0;
        }
        catch (JsonException)
        {
            return false;
        }
    }
}
