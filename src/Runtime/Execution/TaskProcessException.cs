namespace DurablePipelines.Execution;

/// <summary>
/// An attempt that failed in its task process: the handler's own error (<see cref="ErrorType"/> is its exception's
/// type there), or the process's end without an answer (a crash), with its exit code.
/// </summary>
public sealed class TaskProcessException : Exception
{
    /// <summary>Creates the exception.</summary>
    public TaskProcessException(string errorType, string message)
        : base(message) => ErrorType = errorType;

    /// <summary>Creates the exception.</summary>
    public TaskProcessException()
        : this(typeof(TaskProcessException).FullName!, "the task process failed")
    {
    }

    /// <summary>Creates the exception.</summary>
    public TaskProcessException(string message)
        : this(typeof(TaskProcessException).FullName!, message)
    {
    }

    /// <summary>Creates the exception.</summary>
    public TaskProcessException(string message, Exception innerException)
        : base(message, innerException) => ErrorType = typeof(TaskProcessException).FullName!;

    /// <summary>The type the run records for the error.</summary>
    public string ErrorType { get; }
}
