using DurablePipelines.LocalHost.Commands;

namespace DurablePipelines.LocalHost.Tests;

/// <summary>Runs <c>dp</c> in process through its real entry point, with captured output.</summary>
internal static class Cli
{
    /// <summary>The examples copied next to the tests (see the project file).</summary>
    public static string Pipelines { get; } = Path.Combine(AppContext.BaseDirectory, "pipelines");

    public static Task<CliResult> RunAsync(params string[] args) => RunAsync(CancellationToken.None, args);

    public static async Task<CliResult> RunAsync(CancellationToken cancellationToken, params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var exit = await DpCommandLine.InvokeAsync(args, output, error, cancellationToken);
        return new CliResult(exit, output.ToString(), error.ToString());
    }
}

internal sealed record CliResult(int Exit, string Out, string Error)
{
    public string[] OutLines => Out.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    public string[] ErrorLines => Error.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    public override string ToString() => $"exit {Exit}\n--- stdout\n{Out}\n--- stderr\n{Error}";
}
