using System.Diagnostics;
using System.Reflection;
using System.Text.Json.Nodes;
using DurablePipelines.Execution;
using DurablePipelines.Handlers;

namespace DurablePipelines.FunctionApp.Tests.Hosting;

/// <summary>
/// The Function App's worker assembly as a task process of the <c>process</c> execution: <c>dotnet
/// DurablePipelines.FunctionApp.dll --dp-task-process</c>, from the app's build output, answers one attempt with the
/// app's handlers, without the Functions host.
/// </summary>
public sealed class TaskProcessWorkerTests
{
    private static readonly string s_output = typeof(TaskProcessWorkerTests).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
        .Single(a => a.Key == "FunctionAppOutput").Value!;

    [Fact]
    public async Task AppAsTaskProcess_RunsAnExampleHandler_AndAnswersOnStdout()
    {
        var answer = await RunAsync("report.summarize", new JsonObject { ["a"] = new JsonArray(1, 2) });

        Assert.NotNull(answer["output"]);
        Assert.Null(answer["error"]);
    }

    [Fact]
    public async Task AppAsTaskProcess_AFailingHandler_AnswersItsError()
    {
        var answer = await RunAsync("fail", [], new JsonObject { ["message"] = "on purpose" });

        Assert.Equal("on purpose", answer["error"]!["message"]!.GetValue<string>());
        Assert.Equal("DurablePipelines.Handlers.BuiltIn.TaskFailedOnPurposeException", answer["error"]!["type"]!.GetValue<string>());
    }

    private static async Task<JsonObject> RunAsync(string handler, JsonObject parents, JsonObject? config = null)
    {
        var info = new ProcessStartInfo("dotnet")
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = s_output,
        };
        info.ArgumentList.Add(Path.Combine(s_output, "DurablePipelines.FunctionApp.dll"));
        info.ArgumentList.Add(TaskProcessWorker.Argument);
        using var process = Process.Start(info)!;
        var context = new TaskContext { RunId = "r1", Pipeline = "p", Task = "t", Parents = parents, Config = config };
        await process.StandardInput.WriteAsync(TaskProcessWorker.Request(handler, context));
        process.StandardInput.Close();
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(1));
        await process.WaitForExitAsync(timeout.Token);

        Assert.True(process.ExitCode == 0, $"exit {process.ExitCode}: {await stderr}");
        return (JsonObject)JsonNode.Parse(await stdout)!;
    }
}
