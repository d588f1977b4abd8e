namespace DurablePipelines.Validation;

/// <summary>A definition or a start was refused before anything ran; carries every error.</summary>
public sealed class PipelineValidationException : Exception
{
    /// <summary>Creates the exception from the full list of errors.</summary>
    public PipelineValidationException(IReadOnlyList<ValidationError> errors)
        : base(Describe(errors))
    {
        Errors = errors;
    }

    /// <summary>Every error found, in path order.</summary>
    public IReadOnlyList<ValidationError> Errors { get; }

    private static string Describe(IReadOnlyList<ValidationError> errors) =>
        errors.Count == 1
            ? errors[0].ToString()
            : $"{errors.Count} errors:\n" + string.Join("\n", errors.Select(e => "  " + e));
}
