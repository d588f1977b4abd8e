namespace DurablePipelines.Records;

/// <summary>
/// The run store could not be reached, answered that it is busy or failing, or did not answer in time: the same
/// call may succeed later. Thrown by the store the HTTP API answers from (<see cref="RunStoreKeys.Interactive"/>);
/// the API answers it 503 with <c>Retry-After</c>, never a 500.
/// </summary>
public sealed class RunStoreUnavailableException : Exception
{
    /// <summary>Creates the exception.</summary>
    public RunStoreUnavailableException()
    {
    }

    /// <summary>Creates the exception with the reason, in words a caller of the API reads.</summary>
    public RunStoreUnavailableException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with the reason and the storage failure behind it.</summary>
    public RunStoreUnavailableException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
