using System.CommandLine;
using System.Text.Json.Nodes;
using DurablePipelines.LocalHost.Hosting;
using DurablePipelines.Storage.Blobs;
using DurablePipelines.Storage.Hosting;

namespace DurablePipelines.LocalHost.Commands;

/// <summary>
/// <c>dp enqueue &lt;pipeline&gt; [--input JSON|@file] [--run-id ID] [--storage CONNECTION] [--base64]</c>: puts a
/// start message on the <c>pipeline-starts</c> queue, as any producer would, for <c>dp serve</c> or the
/// Function App to pick up.
/// </summary>
internal static class EnqueueCommand
{
    public static Command Create(GlobalOptions globals)
    {
        var pipeline = new Argument<string>("pipeline") { Description = "The pipeline's name" };
        var input = new Option<string?>("--input", "-i") { Description = "The run input: JSON text, or @file to read it from a file", HelpName = "JSON|@file" };
        var runId = new Option<string?>("--run-id") { Description = "The run id (optional; same id, same run)", HelpName = "ID" };
        var storage = new Option<string?>("--storage") { Description = "Storage connection string (AzureWebJobsStorage, default UseDevelopmentStorage=true)", HelpName = "CONNECTION" };
        var base64 = new Option<bool>("--base64") { Description = "Encode the message as base64, as some producers do" };
        var command = new Command("enqueue", "Queue a start message on pipeline-starts") { pipeline, input, runId, storage, base64 };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var error = parse.InvocationConfiguration.Error;
            var (value, problem) = await RunCommand.ReadInputAsync(parse.GetValue(input), cancellationToken);
            if (problem is not null)
            {
                await error.WriteLineAsync(problem);
                return ExitCodes.Refused;
            }

            var settings = globals.ToSettings(parse).ToList();
            if (parse.GetValue(storage) is { Length: > 0 } s)
            {
                settings.Add(new(StorageOptions.AccountSetting, s));
            }

            var configuration = LocalHostConfiguration.Build(settings);
            var options = new StorageOptions().Bind(configuration);

            var message = new JsonObject { ["pipeline"] = parse.GetValue(pipeline), ["input"] = value };
            if (parse.GetValue(runId) is { } id)
            {
                message["runId"] = id;
            }

            var text = message.ToJsonString();
            if (parse.GetValue(base64))
            {
                text = Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes(text));
            }

            var queues = StorageClients.CreateQueueServiceClient(options);
            var queue = queues.GetQueueClient(options.StartQueue);
            try
            {
                await queue.CreateIfNotExistsAsync(cancellationToken: cancellationToken);
                var receipt = await queue.SendMessageAsync(text, cancellationToken);
                await parse.InvocationConfiguration.Output.WriteLineAsync($"queued on {options.StartQueue}: message {receipt.Value.MessageId}");
                return ExitCodes.Success;
            }
            catch (Exception ex) when (!cancellationToken.IsCancellationRequested && StorageCheck.Explain(ex, queues.Uri) is { } storageProblem)
            {
                await error.WriteLineAsync($"dp enqueue: {storageProblem}");
                return ExitCodes.Refused;
            }
        });
        return command;
    }
}
