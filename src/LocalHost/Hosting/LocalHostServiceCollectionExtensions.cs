using DurablePipelines.Hosting;
using DurablePipelines.LocalHost.Handlers;
using Microsoft.Extensions.DependencyInjection;

namespace DurablePipelines.LocalHost.Hosting;

/// <summary>Registers what the local host adds to the engine.</summary>
internal static class LocalHostServiceCollectionExtensions
{
    /// <summary>
    /// The demo handlers the example pipelines use: <c>files.list</c>, <c>files.checksum</c>,
    /// <c>report.summarize</c>, <c>orders.extract</c>, <c>prices.compute</c> and <c>files.appendLine</c>.
    /// </summary>
    public static IServiceCollection AddLocalHost(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.AddPipelineTask<FilesListTask>(FilesListTask.Name);
        services.AddPipelineTask<FilesChecksumTask>(FilesChecksumTask.Name);
        services.AddPipelineTask<ReportSummarizeTask>(ReportSummarizeTask.Name);
        services.AddPipelineTask<OrdersExtractTask>(OrdersExtractTask.Name);
        services.AddPipelineTask<PricesComputeTask>(PricesComputeTask.Name);
        services.AddPipelineTask<FilesAppendLineTask>(FilesAppendLineTask.Name);
        return services;
    }
}
