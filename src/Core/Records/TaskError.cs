namespace DurablePipelines.Records;

/// <summary>Why something failed: the exception type's name and its message.</summary>
/// <param name="Type">The .NET type of the failure, such as <c>System.TimeoutException</c>.</param>
/// <param name="Message">What happened, for people.</param>
public sealed record TaskError(string Type, string Message)
{
    /// <summary>The error of an exception.</summary>
    public static TaskError From(Exception exception) => new(exception.GetType().FullName ?? exception.GetType().Name, exception.Message);
}
