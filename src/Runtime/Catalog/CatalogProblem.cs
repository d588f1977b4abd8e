using DurablePipelines.Validation;

namespace DurablePipelines.Catalog;

/// <summary>A definition file that was not loaded, and why.</summary>
/// <param name="File">The file.</param>
/// <param name="Errors">Every error found in it.</param>
public sealed record CatalogProblem(string File, IReadOnlyList<ValidationError> Errors);
