using DurablePipelines.Validation;

namespace DurablePipelines.Definitions;

/// <summary>What reading a definition gave: the definition as far as it could be read, and every error.</summary>
/// <param name="Definition">Null only when the text is not a JSON object at all.</param>
/// <param name="Errors">Every structural error found, with its JSON path.</param>
public sealed record DefinitionReadResult(PipelineDefinition? Definition, IReadOnlyList<ValidationError> Errors);
