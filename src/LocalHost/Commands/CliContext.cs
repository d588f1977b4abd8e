using System.CommandLine;
using DurablePipelines.Hosting;
using DurablePipelines.LocalHost.Hosting;
using DurablePipelines.Validation;
using Microsoft.Extensions.DependencyInjection;

namespace DurablePipelines.LocalHost.Commands;

/// <summary>
/// What a verb runs with: configuration from settings, environment and the command line, the container,
/// the validated options and the output streams.
/// </summary>
internal sealed class CliContext : IAsyncDisposable
{
    private readonly ServiceProvider _services;

    private CliContext(ParseResult parse, ServiceProvider services, PipelineOptions options)
    {
        _services = services;
        Options = options;
        Out = parse.InvocationConfiguration.Output;
        Error = parse.InvocationConfiguration.Error;
    }

    /// <summary>The command's result goes here.</summary>
    public TextWriter Out { get; }

    /// <summary>Errors and diagnostics go here.</summary>
    public TextWriter Error { get; }

    /// <summary>The validated <c>Pipelines</c> options.</summary>
    public PipelineOptions Options { get; }

    /// <summary>The container.</summary>
    public IServiceProvider Services => _services;

    /// <summary>The validator over the registered handlers.</summary>
    public PipelineValidator Validator => _services.GetRequiredService<PipelineValidator>();

    /// <summary>
    /// Standard output is an interactive terminal (not redirected, not captured), so a live display makes sense.
    /// </summary>
    public bool OutIsTerminal => ReferenceEquals(Out, Console.Out) && !Console.IsOutputRedirected;

    /// <summary>
    /// Builds the context and runs <paramref name="action"/> with it. Invalid options are refused with every
    /// problem listed; a file that cannot be read is refused with its reason.
    /// </summary>
    public static async Task<int> RunAsync(
        ParseResult parse,
        GlobalOptions globals,
        IEnumerable<KeyValuePair<string, string?>> settings,
        Func<CliContext, Task<int>> action)
    {
        ArgumentNullException.ThrowIfNull(parse);
        ArgumentNullException.ThrowIfNull(globals);
        ArgumentNullException.ThrowIfNull(action);
        var error = parse.InvocationConfiguration.Error;
        var configuration = LocalHostConfiguration.Build(globals.ToSettings(parse).Concat(settings));
        var (options, problems) = LocalHostServices.ReadOptions(configuration);
        if (problems.Count > 0)
        {
            foreach (var problem in problems)
            {
                await error.WriteLineAsync($"configuration: {problem}");
            }

            return ExitCodes.Refused;
        }

        await using var context = new CliContext(parse, LocalHostServices.Create(configuration), options);
        try
        {
            return await action(context);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            await error.WriteLineAsync($"error: {ex.Message}");
            return ExitCodes.Refused;
        }
    }

    /// <summary>Writes each error as <c>&lt;source&gt;: &lt;path&gt;: &lt;message&gt;</c>.</summary>
    public static async Task WriteErrorsAsync(TextWriter writer, string source, IEnumerable<ValidationError> errors)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(errors);
        foreach (var e in errors)
        {
            await writer.WriteLineAsync($"{source}: {e}");
        }
    }

    public ValueTask DisposeAsync() => _services.DisposeAsync();
}
