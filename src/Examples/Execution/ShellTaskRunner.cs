using System.Diagnostics;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using DurablePipelines.Handlers;

namespace DurablePipelines.Examples.Execution;

/// <summary>
/// <c>shell</c>, an example task runner (<c>"using": "shell"</c>): runs the task's <c>config.command</c> with
/// <c>/bin/sh -c</c>, writes the task input (<see cref="TaskContext.ToTaskInput"/>) to its standard input and reads its
/// output as JSON from standard output (empty: <c>null</c>; not JSON: the text as a string). A non-zero exit fails the
/// attempt with the code and the end of standard error. On timeout, cancel or ttl the command and its children are
/// killed and the attempt ends once they are gone. As a handler (<c>"handler": "shell"</c>) it checks those tasks'
/// config and runs nothing itself: a <c>shell</c> task runs with <c>"using": "shell"</c>.
/// </summary>
internal sealed class ShellTaskRunner : ITaskRunner, IPipelineTask
{
    public const string Name = "shell";

    private const int KeptErrorChars = 2000;

    private static readonly ConfigReader s_schema = new ConfigReader()
        .Member("command", "a command for /bin/sh -c: the task input on its stdin, its JSON output on its stdout", true, JsonValueKind.String);

    public IEnumerable<ConfigError> ValidateConfig(JsonObject? config) => s_schema.Validate(config);

    public Task<JsonNode?> ExecuteAsync(TaskContext context, CancellationToken cancellationToken) =>
        throw new InvalidOperationException($"task '{context?.Task}' has the 'shell' handler without \"using\": \"shell\": the shell task runner runs its command");

    public bool StopsHandlers => true;

    public async Task<JsonNode?> RunAsync(TaskRun run, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(run);
        var command = run.Context.Config?["command"]?.GetValue<string>() ?? throw new InvalidOperationException("the shell runner needs config.command");
        var info = new ProcessStartInfo("/bin/sh")
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            StandardInputEncoding = new UTF8Encoding(false),
        };
        info.ArgumentList.Add("-c");
        info.ArgumentList.Add(command);
        using var process = Process.Start(info) ?? throw new InvalidOperationException("/bin/sh did not start");
        var stdout = process.StandardOutput.ReadToEndAsync(CancellationToken.None);
        var stderr = process.StandardError.ReadToEndAsync(CancellationToken.None);
        try
        {
            try
            {
                await process.StandardInput.WriteAsync(run.Context.ToTaskInput().ToJsonString().AsMemory(), cancellationToken);
                process.StandardInput.Close();
            }
            catch (IOException)
            {
                // The command does not read its input and has already closed it: that is its choice.
            }

            await process.WaitForExitAsync(cancellationToken);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync(CancellationToken.None);
            throw;
        }

        var text = (await stdout).Trim();
        if (process.ExitCode != 0)
        {
            var error = (await stderr).Trim();
            error = error.Length <= KeptErrorChars ? error : "…" + error[^KeptErrorChars..];
            throw new InvalidOperationException($"'{command}' exited with code {process.ExitCode}{(error.Length == 0 ? string.Empty : ": " + error)}");
        }

        if (text.Length == 0)
        {
            return null;
        }

        try
        {
            return JsonNode.Parse(text);
        }
        catch (JsonException)
        {
            return JsonValue.Create(text);
        }
    }
}
