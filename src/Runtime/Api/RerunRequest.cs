using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using DurablePipelines.Records;
using DurablePipelines.Validation;

namespace DurablePipelines.Api;

/// <summary>
/// The body of <c>POST /api/runs/{runId}/rerun</c>: empty, or <c>{ "runId": … }</c>. It is read as a start body is
/// (<see cref="StartRequest"/>), with the same errors, and <c>input</c> is refused: a rerun runs the source run's input.
/// </summary>
/// <param name="RunId">The new run's id, or null for a generated one.</param>
public sealed record RerunRequest(string? RunId)
{
    private static readonly JsonDocumentOptions s_reading = new() { MaxDepth = JsonLimits.MaxDepth };

    /// <summary>Reads a rerun body from UTF-8 text; every problem is reported with its path.</summary>
    public static (RerunRequest? Request, IReadOnlyList<ValidationError> Errors) Parse(ReadOnlySpan<byte> utf8)
    {
        var (start, errors) = StartRequest.Parse(utf8, pipelineRequired: false);
        if (start is null)
        {
            return (null, errors);
        }

        if (utf8.StartsWith(Encoding.UTF8.Preamble))
        {
            utf8 = utf8[Encoding.UTF8.Preamble.Length..];
        }

        // The body was read as a start: it is empty or a valid object, and its "input" may be there with any value.
        if (!utf8.TrimStart(" \t\r\n"u8).IsEmpty && JsonNode.Parse(utf8, documentOptions: s_reading) is JsonObject body && body.ContainsKey("input"))
        {
            return (null, [new ValidationError("$.input", ValidationCodes.UnknownProperty, "a rerun runs the input of the run it reruns: only 'runId' may be given")]);
        }

        return (new RerunRequest(start.RunId), []);
    }
}
