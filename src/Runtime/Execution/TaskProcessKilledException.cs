namespace DurablePipelines.Execution;

/// <summary>An attempt whose task process was killed when its token fired (timeout, cancel or ttl); the process is gone.</summary>
public sealed class TaskProcessKilledException : OperationCanceledException
{
    /// <summary>Creates the exception.</summary>
    public TaskProcessKilledException(int pid, CancellationToken token)
        : base($"the task process (pid {pid}) was killed", token) => Pid = pid;

    /// <summary>Creates the exception.</summary>
    public TaskProcessKilledException()
    {
    }

    /// <summary>Creates the exception.</summary>
    public TaskProcessKilledException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception.</summary>
    public TaskProcessKilledException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>The killed process's id.</summary>
    public int Pid { get; }
}
