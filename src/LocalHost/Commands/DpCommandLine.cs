using System.CommandLine;

namespace DurablePipelines.LocalHost.Commands;

/// <summary>
/// The <c>dp</c> command line: the root command and its verbs. A new verb is one file in this folder with a
/// <c>Create(GlobalOptions)</c> factory, added here.
/// </summary>
internal static class DpCommandLine
{
    /// <summary>How long a run gets to end Terminated after Ctrl-C before the process is stopped.</summary>
    private static readonly TimeSpan s_terminationGrace = TimeSpan.FromSeconds(10);

    /// <summary>The root command with every verb.</summary>
    public static RootCommand Create()
    {
        var globals = new GlobalOptions();
        var root = new RootCommand("Durable Pipelines on this machine: validate, draw and run pipelines; serve them; act on a host's runs.");
        globals.AddTo(root);
        root.Add(ValidateCommand.Create(globals));
        root.Add(GraphCommand.Create(globals));
        root.Add(RunCommand.Create(globals));
        root.Add(ServeCommand.Create(globals));
        root.Add(EnqueueCommand.Create(globals));
        root.Add(RunsCommand.Create());
        return root;
    }

    /// <summary>
    /// Parses and runs <paramref name="args"/>. Without writers it is the real process: standard streams and
    /// Ctrl-C handling. With writers (tests, embedding) output is captured and <paramref name="cancellationToken"/>
    /// plays Ctrl-C.
    /// </summary>
    public static async Task<int> InvokeAsync(string[] args, TextWriter? output = null, TextWriter? error = null, CancellationToken cancellationToken = default)
    {
        var console = output is null && error is null;
        var configuration = new InvocationConfiguration
        {
            Output = output ?? Console.Out,
            Error = error ?? Console.Error,
            ProcessTerminationTimeout = console ? s_terminationGrace : null,
        };
        // No response files: "--input @file.json" is the input option's own syntax.
        var parse = Create().Parse(args, new ParserConfiguration { ResponseFileTokenReplacer = null });
        var exit = await parse.InvokeAsync(configuration, cancellationToken);

        // Usage errors are refusals: nothing ran.
        return parse.Errors.Count > 0 ? ExitCodes.Refused : exit;
    }
}
