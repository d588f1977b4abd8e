using DurablePipelines.FunctionApp.Hosting;
using DurablePipelines.Hosting;
using DurablePipelines.Storage.Hosting;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Azure.Functions.Worker.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.ApplicationInsights;

var builder = FunctionsApplication.CreateBuilder(args);

// The same "Pipelines" section as the local host: app settings on Azure (Pipelines__Path, ...), local.settings.json here.
var pipelines = builder.Configuration.GetSection(PipelineOptions.Section);
builder.Services.AddDurablePipelines(options => pipelines.Bind(options));

// Run records, run logs and large payloads in blob storage, on the AzureWebJobsStorage account.
builder.Services.AddAzureStoragePipelines(builder.Configuration);

builder.Services.AddDurablePipelinesFunctionApp();

// Worker telemetry goes to Application Insights directly (APPLICATIONINSIGHTS_CONNECTION_STRING, and
// APPLICATIONINSIGHTS_AUTHENTICATION_STRING for Entra ID). Its provider keeps only warnings by default; our
// structured run logs are Information, so let them through.
builder.Services
    .AddApplicationInsightsTelemetryWorkerService()
    .ConfigureFunctionsApplicationInsights();
builder.Logging.AddFilter<ApplicationInsightsLoggerProvider>("DurablePipelines", LogLevel.Information);

builder.Build().Run();
