namespace DurablePipelines.LocalHost.Commands;

/// <summary>What <c>dp</c> returns: scripts and CI read these.</summary>
internal static class ExitCodes
{
    /// <summary>Everything valid; the run succeeded.</summary>
    public const int Success = 0;

    /// <summary>The run ended Failed, Cancelled or Terminated.</summary>
    public const int RunFailed = 1;

    /// <summary>Refused before anything ran: bad arguments, definition, input, options or runner.</summary>
    public const int Refused = 2;
}
