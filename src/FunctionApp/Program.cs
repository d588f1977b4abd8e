using DurablePipelines.Execution;
using DurablePipelines.FunctionApp.Hosting;
using DurablePipelines.Handlers;
using Microsoft.Extensions.Configuration;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Azure.Functions.Worker.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.ApplicationInsights;

// A task process of the 'process' execution: the worker started again by ProcessTaskRunner for one attempt, with the
// app's handlers and its settings (environment variables, as on Azure), without the Functions host.
if (TaskProcessWorker.IsWorker(args))
{
    var settings = new ConfigurationBuilder().AddEnvironmentVariables().Build();
    await using var services = new ServiceCollection().AddLogging().AddDurablePipelinesFunctionApp(settings).BuildServiceProvider();
    return await TaskProcessWorker.RunAsync(services.GetRequiredService<HandlerRegistry>());
}

var builder = FunctionsApplication.CreateBuilder(args);

// The engine, the storage adapters and what the functions need, from the same keys as the local host: app
// settings on Azure (Pipelines__Path, ...), local.settings.json locally. The engine tests compose it the same way.
builder.Services.AddDurablePipelinesFunctionApp(builder.Configuration);

// Worker telemetry goes to Application Insights directly (APPLICATIONINSIGHTS_CONNECTION_STRING, and
// APPLICATIONINSIGHTS_AUTHENTICATION_STRING for Entra ID). Its provider keeps only warnings by default; our
// structured run logs are Information, so let them through.
builder.Services
    .AddApplicationInsightsTelemetryWorkerService()
    .ConfigureFunctionsApplicationInsights();
builder.Logging.AddFilter<ApplicationInsightsLoggerProvider>("DurablePipelines", LogLevel.Information);

await builder.Build().RunAsync();
return 0;
