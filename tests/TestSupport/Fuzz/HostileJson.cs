using System.Text;
using CsCheck;

namespace DurablePipelines.TestSupport.Fuzz;

/// <summary>
/// Generators of what a hostile client sends: JSON text written by hand (so keys can repeat and escapes can be
/// broken), nested around and far past the input depth limit, with huge strings, unpaired surrogates written as
/// <c>\ud800</c> escapes, wrong types, truncated text and bytes that are not UTF-8; and route and query values.
/// Most starts are well formed enough to be accepted, so what is accepted is checked to be storable too.
/// </summary>
public static class HostileJson
{
    /// <summary>The names of the pipelines the fuzz tests' catalog holds, and near misses.</summary>
    public static readonly string[] PipelineNames = ["hello", "fan", "keyed", "multi", "hello", "fan", "multi", "helo", "nope", ""];

    private static readonly Gen<string> s_ascii = Gen.String[Gen.Char[' ', '~'], 0, 12];

    /// <summary>A few keys, so objects often repeat one; keys with odd characters; broken and paired surrogates.</summary>
    public static readonly Gen<string> Key = Gen.Frequency(
        (8, Gen.OneOf("a", "b", "items", "id", "input", "x y", "ä", "\\\"q\\\"", "\\\\", "")),
        (1, Gen.OneOf("\\ud800", "a\\udc00", "\\uD83D", "\\ud800\\ud800", "x\\ud800y")),
        (1, Gen.OneOf("\\ud83d\\ude00", "\\u0000", "\\n")),
        (1, s_ascii.Select(Escape)),
        (1, Gen.Int[61, 5000].Select(n => new string('k', n))));

    /// <summary>A JSON string literal, quotes included.</summary>
    public static readonly Gen<string> StringLiteral = Gen.Frequency(
        (8, s_ascii.Select(Escape)),
        (1, Gen.Int[10_000, 200_000].Select(n => new string('x', n))),
        (2, Gen.OneOf("x\\ud800", "\\udfff", "\\ud800\\ud800", "\\uDBFF\\u0041", "ok\\ud83d")),
        (1, Gen.OneOf("\\ud83d\\ude00", "\\u0000\\n\\t\\\\", "ä€😀", "\\/"))).Select(s => $"\"{s}\"");

    /// <summary>Numbers, including ones no .NET number type holds.</summary>
    public static readonly Gen<string> Number = Gen.OneOf("0", "-1", "1.5", "-0", "1e400", "1E-400", "123456789012345678901234567890", "3.0e2");

    /// <summary>Any scalar.</summary>
    public static readonly Gen<string> Scalar = Gen.Frequency(
        (4, StringLiteral),
        (2, Number),
        (1, Gen.OneOf("true", "false", "null")));

    /// <summary>A JSON value up to a few levels deep, with repeated keys now and then.</summary>
    public static readonly Gen<string> Value = Gen.Recursive<string>((depth, value) => depth >= 4
        ? Scalar
        : Gen.Frequency(
            (3, Scalar),
            (2, Gen.Select(Key, value).Array[0, 4].Select(members => "{" + string.Join(",", members.Select(m => $"\"{m.Item1}\":{m.Item2}")) + "}")),
            (2, value.Array[0, 4].Select(items => "[" + string.Join(",", items) + "]"))));

    /// <summary>A well-behaved value: distinct plain keys, plain strings; deep enough to nest.</summary>
    public static readonly Gen<string> CleanValue = Gen.Recursive<string>((depth, value) => depth >= 4
        ? Gen.Frequency((3, Gen.String.AlphaNumeric.Select(s => $"\"{s}\"")), (1, Number), (1, Gen.OneOf("true", "null")))
        : Gen.Frequency(
            (3, Gen.String.AlphaNumeric.Select(s => $"\"{s}\"")),
            (2, value.Array[0, 4].Select(values => "{" + string.Join(",", values.Select((v, i) => $"\"k{i}\":{v}")) + "}")),
            (2, value.Array[0, 4].Select(items => "[" + string.Join(",", items) + "]"))));

    /// <summary>A value nested <c>n</c> levels deep, mostly around the input limit (57), sometimes far past it.</summary>
    public static readonly Gen<string> Nested = Gen.Select(
        Gen.Frequency((6, Gen.Int[50, 70]), (1, Gen.Int[100, 3000])),
        Gen.Bool,
        Scalar,
        (levels, objects, inner) => objects
            ? string.Concat(Enumerable.Repeat("{\"a\":", levels)) + inner + new string('}', levels)
            : new string('[', levels) + inner + new string(']', levels));

    /// <summary>An input: a value, a deep nest, or an object of items for the iterating pipeline.</summary>
    public static readonly Gen<string> Input = Gen.Frequency(
        (6, CleanValue),
        (3, Value),
        (2, Nested),
        (3, Gen.Select(CleanValue.Array[0, 5], Gen.Int[0, 40], (items, id) => "{\"items\":[" + string.Join(",", items) + $"],\"id\":\"{id}\"}}")));

    /// <summary>A run id: valid ones that repeat, invalid ones, broken text, wrong types.</summary>
    public static readonly Gen<string> RunId = Gen.Frequency(
        (12, Gen.Int[0, 40].Select(n => $"\"r-{n}\"")),
        (1, Gen.OneOf("\"bad id!\"", "\"\"", "\"-x\"", $"\"{new string('a', 101)}\"")),
        (1, Gen.OneOf("\"\\ud800x\"", "\"r-\\udc00\"")),
        (1, Gen.OneOf("5", "null", "{}", "[\"r-1\"]", "true")));

    /// <summary>A start body (HTTP) or message (queue, with a pipeline member): mostly well formed, often not.</summary>
    public static Gen<string> Start(bool withPipeline)
    {
        var pipeline = Gen.Frequency(
            (12, Gen.OneOf(PipelineNames).Select(n => $"\"{n}\"")),
            (1, Gen.OneOf("\"\\ud800\"", "7", "null", "[\"hello\"]")));
        var member = Gen.Frequency(
            (5, Input.Select(v => $"\"input\":{v}")),
            (3, RunId.Select(v => $"\"runId\":{v}")),
            (withPipeline ? 5 : 1, pipeline.Select(v => $"\"pipeline\":{v}")),
            (1, Gen.Select(Key, Value, (k, v) => $"\"{k}\":{v}")));
        var wellFormed = Gen.Select(Input, RunId, pipeline, Gen.Bool, (input, runId, name, withId) =>
            "{" + (withPipeline ? $"\"pipeline\":{name}," : string.Empty) + $"\"input\":{input}" + (withId ? $",\"runId\":{runId}" : string.Empty) + "}");
        var members = member.Array[0, 5].Select(ms => "{" + string.Join(",", ms) + "}");
        return Gen.Frequency(
            (9, wellFormed),
            (4, members),
            (1, Gen.OneOf("[1,2]", "\"just a string\"", "42", "null", "", "   ", "<start/>", "input=1&runId=x", "{ \"input\": ", "{\"input\":{}}}", "{\"input\":1,}", "{'input':1}")),
            (1, Gen.Select(wellFormed, Gen.Double[0, 1], (text, cut) => text[..(int)(text.Length * cut)])));
    }

    /// <summary>A start that is accepted unless its run id is taken: a known pipeline, a plain input, an id that repeats.</summary>
    public static Gen<string> CleanStart(bool withPipeline) => Gen.Select(
        Gen.OneOf("hello", "fan", "multi"),
        Gen.Select(CleanValue.Array[0, 3], Gen.Int[0, 40], (items, id) => "{\"items\":[" + string.Join(",", items) + $"],\"id\":\"{id}\"}}"),
        Gen.Int[0, 30],
        (name, input, id) => "{" + (withPipeline ? $"\"pipeline\":\"{name}\"," : string.Empty) + $"\"input\":{input},\"runId\":\"c-{id}\"}}");

    /// <summary>The bytes of a body: its UTF-8 mostly, sometimes with a BOM, a byte that breaks UTF-8, or noise.</summary>
    public static Gen<byte[]> Bytes(Gen<string> text) => Gen.Frequency(
        (8, text.Select(t => Encoding.UTF8.GetBytes(t))),
        (1, text.Select(t => Encoding.UTF8.GetBytes("\uFEFF" + t))),
        (1, Gen.Select(text, Gen.Int[0, int.MaxValue], Gen.Byte[0x80, 0xFF], (t, at, b) =>
        {
            var bytes = Encoding.UTF8.GetBytes(t.Length == 0 ? "{}" : t);
            bytes[at % bytes.Length] = b;
            return bytes;
        })),
        (1, Gen.Byte.Array[0, 64]));

    /// <summary>A route value (pipeline name or run id): plausible, odd, broken text, huge.</summary>
    public static readonly Gen<string> RouteValue = Gen.Frequency(
        (4, Gen.OneOf(PipelineNames)),
        (3, Gen.Int[0, 40].Select(n => $"r-{n}")),
        (2, Gen.OneOf("\0", "%00", "../..", "a/b", " ", "\ud800", "x\udc00y", "ä😀", "r-1\n", "HELLO")),
        (1, Gen.String[Gen.Char, 0, 20]),
        (1, Gen.Int[200, 20_000].Select(n => new string('r', n))));

    /// <summary>A query value for <c>status</c>, <c>top</c> or <c>pipeline</c>, or none.</summary>
    public static readonly Gen<string?> QueryValue = Gen.Frequency(
        (2, Gen.Bool.Select(_ => (string?)null)),
        (3, Gen.OneOf<string?>("Pending", "pending", "Succeeded", "Failed", "Running", "Cancelled", "1", "-1", "Pending,Running", " Pending", "", " ")),
        (3, Gen.OneOf<string?>("0", "1", "50", "1000", "1001", "+5", " 5", "5 ", "1e3", "٣", "99999999999999999999", "0x10", "5.0")),
        (1, Gen.OneOf<string?>("hello", "\ud800", "\0", "ä")),
        (1, Gen.String[Gen.Char, 0, 30].Select(s => (string?)s)));

    private static string Escape(string text) => text.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal);
}
