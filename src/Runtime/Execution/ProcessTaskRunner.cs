using System.Diagnostics;
using System.Reflection;
using System.Text;
using System.Text.Json.Nodes;
using DurablePipelines.Handlers;
using DurablePipelines.Hosting;
using Microsoft.Extensions.Options;

namespace DurablePipelines.Execution;

/// <summary>
/// <c>process</c>: each attempt runs in a child process of the host, started from the host's own program
/// (<see cref="TaskProcessOptions"/>), given the attempt on standard input and answering on standard output
/// (<see cref="TaskProcessWorker"/>). On timeout, cancel or ttl the process and its children are killed, and the
/// attempt ends once they are gone; a crash fails only this attempt, with the exit code in the error; a retry starts a
/// new process.
/// </summary>
internal sealed class ProcessTaskRunner(IOptions<PipelineOptions> options) : ITaskRunner
{
    private const int KeptErrorChars = 2000;

    public bool StopsHandlers => true;

    public async Task<JsonNode?> RunAsync(TaskRun run, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        using var process = new Process { StartInfo = StartInfo(options.Value.TaskProcess) };
        process.Start();
        var stdout = process.StandardOutput.ReadToEndAsync(CancellationToken.None);
        var stderr = ReadTailAsync(process.StandardError);
        try
        {
            await process.StandardInput.WriteAsync(TaskProcessWorker.Request(run.Handler, run.Context).AsMemory(), cancellationToken);
            process.StandardInput.Close();
            await process.WaitForExitAsync(cancellationToken);
        }
        catch (Exception ex) when (ex is OperationCanceledException or IOException)
        {
            // Timed out, cancelled, or the child went away while it was given its input: it goes, with its children.
            Kill(process);
            await process.WaitForExitAsync(CancellationToken.None);
            if (cancellationToken.IsCancellationRequested)
            {
                throw new TaskProcessKilledException(process.Id, cancellationToken);
            }

            throw new TaskProcessException($"the task process (pid {process.Id}) ended with code {process.ExitCode} before it took its input: {await stderr}");
        }

        var text = await stdout;
        var answer = text.Length == 0 ? null : JsonNode.Parse(text) as JsonObject;
        if (process.ExitCode != 0 || answer is null)
        {
            throw new TaskProcessException($"the task process (pid {process.Id}) exited with code {process.ExitCode} without an answer{Tail(await stderr)}");
        }

        if (answer["error"] is JsonObject error)
        {
            throw new TaskProcessException(error["type"]?.GetValue<string>() ?? typeof(TaskProcessException).FullName!, error["message"]?.GetValue<string>() ?? string.Empty);
        }

        return answer["output"]?.DeepClone();
    }

    private static void Kill(Process process)
    {
        try
        {
            process.Kill(entireProcessTree: true);
        }
        catch (InvalidOperationException)
        {
            // It had exited already.
        }
    }

    private static string Tail(string stderr) => stderr.Length == 0 ? string.Empty : $": {stderr}";

    private static async Task<string> ReadTailAsync(StreamReader reader)
    {
        var text = await reader.ReadToEndAsync();
        text = text.Trim();
        return text.Length <= KeptErrorChars ? text : "…" + text[^KeptErrorChars..];
    }

    /// <summary>The command of <paramref name="settings"/>, or this host's own program, with the worker's argument.</summary>
    private static ProcessStartInfo StartInfo(TaskProcessOptions settings)
    {
        var info = new ProcessStartInfo
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            StandardInputEncoding = new UTF8Encoding(false),
            StandardOutputEncoding = Encoding.UTF8,
            WorkingDirectory = Environment.CurrentDirectory,
        };
        if (settings.Command is { Length: > 0 } command)
        {
            info.FileName = command;
            foreach (var argument in settings.Arguments)
            {
                info.ArgumentList.Add(argument);
            }
        }
        else
        {
            var self = Environment.ProcessPath ?? throw new InvalidOperationException("this process has no executable to start task processes from: set Pipelines:TaskProcess:Command");
            info.FileName = self;
            if (Path.GetFileNameWithoutExtension(self) == "dotnet")
            {
                // Started as "dotnet host.dll": the child is "dotnet host.dll --dp-task-process".
                info.ArgumentList.Add(Assembly.GetEntryAssembly()?.Location ?? throw new InvalidOperationException("this process has no entry assembly to start task processes from: set Pipelines:TaskProcess:Command"));
            }
        }

        info.ArgumentList.Add(TaskProcessWorker.Argument);
        return info;
    }
}
