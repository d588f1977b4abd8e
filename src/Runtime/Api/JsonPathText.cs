using System.Buffers;
using System.Buffers.Text;
using System.Text;

namespace DurablePipelines.Api;

/// <summary>
/// The pieces of error texts that quote what a client sent: JSON paths (<c>$.a.b</c>, <c>$['a b']</c>, <c>$[3]</c>)
/// and the escape of an unpaired surrogate. Keys are quoted readably and cut short, so an error never echoes a
/// megabyte key back.
/// </summary>
internal static class JsonPathText
{
    private const int MaxKeyLength = 60;

    private static readonly SearchValues<char> s_identifierChars =
        SearchValues.Create("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_");

    /// <summary>The path of member <paramref name="key"/> of the object at <paramref name="parent"/>.</summary>
    public static string Member(string parent, string key) =>
        IsIdentifier(key) ? $"{parent}.{Shorten(key)}" : $"{parent}['{Key(key)}']";

    /// <summary><paramref name="key"/> as an error quotes it: cut short, with quotes, backslashes and controls escaped.</summary>
    public static string Key(string key)
    {
        var quoted = new StringBuilder();
        foreach (var c in Shorten(key))
        {
            _ = c switch
            {
                '\'' => quoted.Append("\\'"),
                '\\' => quoted.Append("\\\\"),
                < ' ' => quoted.Append($"\\u{(int)c:x4}"),
                _ => quoted.Append(c),
            };
        }

        return quoted.ToString();
    }

    /// <summary>
    /// The path of a member whose key cannot be read as text (an unpaired surrogate, bytes that are not UTF-8):
    /// the key as it was written, escapes and all.
    /// </summary>
    public static string RawMember(string parent, ReadOnlySpan<byte> rawKey) =>
        $"{parent}['{Shorten(Encoding.UTF8.GetString(rawKey)).Replace("'", "\\'", StringComparison.Ordinal)}']";

    /// <summary>The path of element <paramref name="index"/> of the array at <paramref name="parent"/>.</summary>
    public static string Element(string parent, int index) => $"{parent}[{index}]";

    /// <summary>
    /// The first unpaired surrogate in the raw text of a JSON string (between its quotes, escapes not yet
    /// decoded), as it was written (<c>\ud800</c>), or null when every surrogate escape is paired. Valid UTF-8
    /// cannot encode a surrogate, so only <c>\u</c> escapes can hold one.
    /// </summary>
    public static string? UnpairedSurrogate(ReadOnlySpan<byte> raw)
    {
        string? pendingHigh = null;
        for (var i = 0; i < raw.Length; i++)
        {
            if (raw[i] != '\\')
            {
                if (pendingHigh is not null)
                {
                    return pendingHigh;
                }

                continue;
            }

            if (raw[i + 1] != 'u')
            {
                if (pendingHigh is not null)
                {
                    return pendingHigh;
                }

                i++;
                continue;
            }

            // The reader has checked the escape: four hex digits follow.
            if (!Utf8Parser.TryParse(raw.Slice(i + 2, 4), out ushort unit, out _, 'x'))
            {
                throw new ArgumentException("a \\u escape without four hex digits", nameof(raw));
            }

            var written = Encoding.ASCII.GetString(raw.Slice(i, 6));
            i += 5;
            if (char.IsHighSurrogate((char)unit))
            {
                if (pendingHigh is not null)
                {
                    return pendingHigh;
                }

                pendingHigh = written;
            }
            else if (char.IsLowSurrogate((char)unit))
            {
                if (pendingHigh is null)
                {
                    return written;
                }

                pendingHigh = null;
            }
            else if (pendingHigh is not null)
            {
                return pendingHigh;
            }
        }

        return pendingHigh;
    }

    private static bool IsIdentifier(string key) =>
        key.Length > 0
        && (char.IsAsciiLetter(key[0]) || key[0] == '_')
        && !key.AsSpan().ContainsAnyExcept(s_identifierChars);

    private static string Shorten(string text)
    {
        if (text.Length <= MaxKeyLength)
        {
            return text;
        }

        var cut = char.IsHighSurrogate(text[MaxKeyLength - 1]) ? MaxKeyLength - 1 : MaxKeyLength;
        return text[..cut] + "…";
    }
}
