using System.CommandLine;
using DurablePipelines.LocalHost.Hosting;
using DurablePipelines.LocalHost.Serve;
using DurablePipelines.Storage.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;

namespace DurablePipelines.LocalHost.Commands;

/// <summary>
/// <c>dp serve [--urls URL] [--storage CONNECTION]</c>: the local host. Runs until Ctrl-C; runs still going
/// then resume at the next start.
/// </summary>
internal static class ServeCommand
{
    public static Command Create(GlobalOptions globals)
    {
        var urls = new Option<string?>("--urls") { Description = $"Where to listen (Pipelines:Urls, default {ServeHost.DefaultUrls}, loopback only)", HelpName = "URL" };
        var storage = new Option<string?>("--storage") { Description = "Storage connection string (AzureWebJobsStorage, default UseDevelopmentStorage=true)", HelpName = "CONNECTION" };
        var command = new Command("serve", "Serve the HTTP and queue interface and the dashboard, running pipelines durably on Azure Storage (Azurite locally).") { urls, storage };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var settings = globals.ToSettings(parse).ToList();
            if (parse.GetValue(urls) is { Length: > 0 } u)
            {
                settings.Add(new("Pipelines:Urls", u));
            }

            if (parse.GetValue(storage) is { Length: > 0 } s)
            {
                settings.Add(new(StorageOptions.AccountSetting, s));
            }

            var configuration = LocalHostConfiguration.Build(settings);
            var (_, problems) = LocalHostServices.ReadOptions(configuration);
            var (storageOptions, storageProblems) = LocalHostServices.ReadStorageOptions(configuration);
            var error = parse.InvocationConfiguration.Error;
            if (problems.Count + storageProblems.Count > 0)
            {
                foreach (var problem in problems.Concat(storageProblems))
                {
                    await error.WriteLineAsync($"configuration: {problem}");
                }

                return ExitCodes.Refused;
            }

            // Storage that refuses us (an Azurite too old for the clients' API version) or is not there gets one
            // line with the cause and the fix, before anything starts, rather than a stack trace from a hosted service.
            if (await StorageCheck.FindProblemAsync(storageOptions, cancellationToken) is { } storageProblem)
            {
                await error.WriteLineAsync($"dp serve could not start: {storageProblem}");
                return ExitCodes.Refused;
            }

            await using var app = ServeHost.Build(configuration);
            try
            {
                await app.StartAsync(cancellationToken);
            }
            catch (Exception ex) when (ex is IOException or Microsoft.Extensions.Options.OptionsValidationException or InvalidOperationException)
            {
                await error.WriteLineAsync($"dp serve could not start: {ex.Message}");
                return ExitCodes.Refused;
            }

            var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses.FirstOrDefault() ?? "?";
            await parse.InvocationConfiguration.Output.WriteLineAsync($"dp serve: listening on {address}; dashboard {address}/ ; Ctrl-C stops.");
            try
            {
                await Task.Delay(Timeout.Infinite, cancellationToken);
            }
            catch (OperationCanceledException)
            {
            }

            await app.StopAsync(CancellationToken.None);
            return ExitCodes.Success;
        });
        return command;
    }
}
