using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using DurablePipelines.Records;
using DurablePipelines.Validation;

namespace DurablePipelines.Api;

/// <summary>
/// A start as the HTTP body (<c>{ "input": …, "runId": … }</c>) or the queue message
/// (<c>{ "pipeline": …, "input": …, "runId": … }</c>) gives it.
/// </summary>
/// <param name="Pipeline">The pipeline's name (queue only; the HTTP route names it).</param>
/// <param name="Input">The run input.</param>
/// <param name="RunId">The caller's run id, or null.</param>
public sealed record StartRequest(string? Pipeline, JsonNode? Input, string? RunId)
{
    private static readonly UTF8Encoding s_strictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    // The text was checked against the limits, so it is read with the limit every stored document has.
    private static readonly JsonDocumentOptions s_reading = new() { MaxDepth = JsonLimits.MaxDepth };

    /// <summary>Reads a start from text (a queue message); see <see cref="Parse(ReadOnlySpan{byte}, bool)"/>.</summary>
    public static (StartRequest? Request, IReadOnlyList<ValidationError> Errors) Parse(string text, bool pipelineRequired)
    {
        ArgumentNullException.ThrowIfNull(text);
        byte[] utf8;
        try
        {
            utf8 = s_strictUtf8.GetBytes(text);
        }
        catch (EncoderFallbackException ex)
        {
            return (null, [new ValidationError("$", ValidationCodes.Encoding, $"not valid UTF-16: an unpaired surrogate at character {ex.Index}")]);
        }

        return Parse(utf8, pipelineRequired);
    }

    /// <summary>
    /// Reads a start from UTF-8 text (an HTTP body); an empty body is a start with no input. Every problem is
    /// reported with its path, and a start that is accepted holds nothing that fails later: no key twice, an
    /// input no deeper than <see cref="JsonLimits.MaxValueDepth"/>, keys and strings that are valid text.
    /// </summary>
    public static (StartRequest? Request, IReadOnlyList<ValidationError> Errors) Parse(ReadOnlySpan<byte> utf8, bool pipelineRequired)
    {
        if (utf8.StartsWith(Encoding.UTF8.Preamble))
        {
            utf8 = utf8[Encoding.UTF8.Preamble.Length..];
        }

        if (utf8.TrimStart(" \t\r\n"u8).IsEmpty)
        {
            return pipelineRequired
                ? (null, [new ValidationError("$.pipeline", ValidationCodes.Required, "'pipeline' is required")])
                : (new StartRequest(null, null, null), []);
        }

        var body = new StartBodyReader(pipelineRequired);
        try
        {
            body.Read(utf8);
        }
        catch (JsonException ex)
        {
            return (null, [new ValidationError("$", ValidationCodes.JsonSyntax, $"not valid JSON: {ex.Message}")]);
        }

        if (!body.IsObject)
        {
            return (null, [new ValidationError("$", ValidationCodes.Type, "the body must be a JSON object { \"input\": …, \"runId\": … }")]);
        }

        var errors = body.Errors();
        if (pipelineRequired && body.Pipeline is null && !errors.Any(e => e.Path == "$.pipeline"))
        {
            errors.Add(new ValidationError("$.pipeline", ValidationCodes.Required, "'pipeline' is required"));
        }

        if (errors.Count > 0)
        {
            return (null, errors);
        }

        var root = JsonNode.Parse(utf8, documentOptions: s_reading)!;
        return (new StartRequest(body.Pipeline, root["input"]?.DeepClone(), body.RunId), []);
    }
}
