using System.Text.Json;
using System.Text.Unicode;
using DurablePipelines.Records;
using DurablePipelines.Validation;

namespace DurablePipelines.Api;

/// <summary>
/// One pass over a start's UTF-8 text that finds everything that would make it fail later, each with its path:
/// unknown members, members of the wrong type, keys given twice, an input deeper than
/// <see cref="JsonLimits.MaxValueDepth"/>, and keys or strings that are not valid text (bytes that are not UTF-8,
/// an escaped unpaired surrogate such as <c>\ud800</c>, which System.Text.Json reads but cannot turn into a string).
/// A syntax error throws <see cref="JsonException"/>. Unknown members are listed first, then the rest in document order.
/// </summary>
internal sealed class StartBodyReader(bool pipelineRequired)
{
    private const int MaxErrors = 100;

    // The walk keeps its own depth count, so the reader must never stop it first.
    private static readonly JsonReaderOptions s_reading = new() { MaxDepth = int.MaxValue };

    private readonly string[] _known = pipelineRequired ? ["pipeline", "input", "runId"] : ["input", "runId"];
    private readonly List<ValidationError> _unknown = [];
    private readonly List<ValidationError> _problems = [];
    private int _dropped;

    /// <summary>Whether the text is a JSON object.</summary>
    public bool IsObject { get; private set; }

    /// <summary>The <c>pipeline</c> member when it is a valid string.</summary>
    public string? Pipeline { get; private set; }

    /// <summary>The <c>runId</c> member when it is a valid string.</summary>
    public string? RunId { get; private set; }

    /// <summary>Every problem found (at most 100, then one saying how many more).</summary>
    public List<ValidationError> Errors() =>
        _dropped == 0 ? [.. _unknown, .. _problems] : [.. _unknown, .. _problems, new ValidationError("$", ValidationCodes.Input, $"{_dropped} more problems are not listed")];

    /// <summary>Reads the whole text; throws <see cref="JsonException"/> when it is not JSON.</summary>
    public void Read(ReadOnlySpan<byte> utf8)
    {
        var reader = new Utf8JsonReader(utf8, s_reading);
        reader.Read();
        IsObject = reader.TokenType == JsonTokenType.StartObject;
        if (!IsObject)
        {
            reader.Skip();
        }
        else
        {
            var seen = new HashSet<string>(StringComparer.Ordinal);
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                var (key, path) = ReadKey(ref reader, "$", seen);
                reader.Read();
                switch (key)
                {
                    case "input":
                        CheckValue(ref reader, path);
                        break;
                    case "pipeline" or "runId" when _known.Contains(key):
                        var text = ReadString(ref reader, path, key);
                        if (key == "pipeline")
                        {
                            Pipeline ??= text;
                        }
                        else
                        {
                            RunId ??= text;
                        }

                        break;
                    default:
                        if (key is not null)
                        {
                            Add(_unknown, path, ValidationCodes.UnknownProperty, $"unknown member '{JsonPathText.Key(key)}'{NameSuggestions.DidYouMean(key, _known)}");
                        }

                        reader.Skip();
                        break;
                }
            }
        }

        // Anything after the value is a syntax error, which the reader throws.
        while (reader.Read())
        {
        }
    }

    /// <summary>Checks the value the reader is on and everything in it.</summary>
    private void CheckValue(ref Utf8JsonReader reader, string path)
    {
        if (reader.TokenType is not (JsonTokenType.StartObject or JsonTokenType.StartArray))
        {
            CheckScalar(ref reader, path);
            return;
        }

        var open = new Stack<Container>();
        open.Push(new Container(path, reader.TokenType == JsonTokenType.StartObject, 1));
        while (open.Count > 0 && reader.Read())
        {
            var container = open.Peek();
            switch (reader.TokenType)
            {
                case JsonTokenType.EndObject or JsonTokenType.EndArray:
                    open.Pop();
                    continue;
                case JsonTokenType.PropertyName:
                    container.MemberPath = ReadKey(ref reader, container.Path, container.Keys ??= new HashSet<string>(StringComparer.Ordinal)).Path;
                    continue;
            }

            var valuePath = container.IsObject ? container.MemberPath! : JsonPathText.Element(container.Path, container.Count++);
            if (reader.TokenType is not (JsonTokenType.StartObject or JsonTokenType.StartArray))
            {
                CheckScalar(ref reader, valuePath);
            }
            else if (container.Depth + 1 > JsonLimits.MaxValueDepth)
            {
                Add(_problems, valuePath, ValidationCodes.Depth, $"nests deeper than {JsonLimits.MaxValueDepth} levels, the limit for a run's input");
                reader.Skip();
            }
            else
            {
                open.Push(new Container(valuePath, reader.TokenType == JsonTokenType.StartObject, container.Depth + 1));
            }
        }
    }

    private void CheckScalar(ref Utf8JsonReader reader, string path)
    {
        if (reader.TokenType == JsonTokenType.String && TextProblem(ref reader) is { } problem)
        {
            Add(_problems, path, ValidationCodes.Encoding, problem);
        }
    }

    private string? ReadString(ref Utf8JsonReader reader, string path, string name)
    {
        if (reader.TokenType != JsonTokenType.String)
        {
            Add(_problems, path, ValidationCodes.Type, $"'{name}' must be a string");
            reader.Skip();
            return null;
        }

        if (TextProblem(ref reader) is { } problem)
        {
            Add(_problems, path, ValidationCodes.Encoding, problem);
            return null;
        }

        return reader.GetString();
    }

    /// <summary>The key the reader is on, or null when it is not valid text; reports that, and a key given twice.</summary>
    private (string? Key, string Path) ReadKey(ref Utf8JsonReader reader, string parent, HashSet<string> seen)
    {
        if (TextProblem(ref reader) is { } problem)
        {
            var rawPath = JsonPathText.RawMember(parent, reader.ValueSpan);
            Add(_problems, rawPath, ValidationCodes.Encoding, $"the key is {problem}");
            return (null, rawPath);
        }

        var key = reader.GetString()!;
        var path = JsonPathText.Member(parent, key);
        if (!seen.Add(key))
        {
            Add(_problems, path, ValidationCodes.DuplicateKey, $"the key '{JsonPathText.Key(key)}' appears more than once in this object");
        }

        return (key, path);
    }

    /// <summary>Why the string or key the reader is on cannot be read as text, or null when it can.</summary>
    private static string? TextProblem(ref Utf8JsonReader reader)
    {
        var raw = reader.ValueSpan;
        if (!Utf8.IsValid(raw))
        {
            return "not valid UTF-8";
        }

        return reader.ValueIsEscaped && JsonPathText.UnpairedSurrogate(raw) is { } surrogate
            ? $"not valid UTF-16: {surrogate} is an unpaired surrogate"
            : null;
    }

    private void Add(List<ValidationError> errors, string path, string code, string message)
    {
        if (_unknown.Count + _problems.Count >= MaxErrors)
        {
            _dropped++;
            return;
        }

        errors.Add(new ValidationError(path, code, message));
    }

    private sealed class Container(string path, bool isObject, int depth)
    {
        public string Path { get; } = path;

        public bool IsObject { get; } = isObject;

        /// <summary>How deep this container is in the value being checked: 1 for its root.</summary>
        public int Depth { get; } = depth;

        public HashSet<string>? Keys { get; set; }

        public string? MemberPath { get; set; }

        public int Count { get; set; }
    }
}
