namespace DurablePipelines.Infra.Tests;

/// <summary>What one run of the Bicep CLI did: its exit code and everything it wrote.</summary>
internal sealed record BicepResult(string Command, int ExitCode, string StandardOutput, string StandardError)
{
    /// <summary>The run as a failure message: the command, its exit code and what Bicep said.</summary>
    public string Describe(bool withStandardOutput = true) =>
        $"""
        {Command}
        exit code: {ExitCode}
        stderr:
        {StandardError}
        """ + (withStandardOutput ? $"\nstdout:\n{StandardOutput}" : string.Empty);
}
