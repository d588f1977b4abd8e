using DurablePipelines.Examples.Execution;
using DurablePipelines.Examples.Handlers;
using DurablePipelines.Hosting;
using Microsoft.Extensions.DependencyInjection;

namespace DurablePipelines.Examples.Hosting;

/// <summary>Registers the handlers of the example pipelines; every host calls it, so the examples run everywhere.</summary>
public static class ExamplesServiceCollectionExtensions
{
    /// <summary>
    /// Adds the handlers the example pipelines in <c>pipelines/</c> use beyond the built-in ones:
    /// <list type="bullet">
    /// <item><c>files.list</c>: the files of a folder (a task and an iterator source);</item>
    /// <item><c>files.checksum</c>: the size and SHA-256 of one file;</item>
    /// <item><c>files.appendLine</c>: appends a line keyed by the result's idempotency key (the at-least-once demo);</item>
    /// <item><c>orders.extract</c>: fake, deterministic open orders of a region;</item>
    /// <item><c>prices.compute</c>: re-prices one order;</item>
    /// <item><c>report.summarize</c>: the fan-in summary of every parent's outputs;</item>
    /// <item><c>shell</c>: a task runner (<c>"using": "shell"</c>) and the handler that checks its tasks' config: runs a
    /// shell command with the task input on stdin and its JSON output on stdout.</item>
    /// </list>
    /// <paramref name="configure"/> sets <see cref="ExampleTaskOptions"/>, such as the folder relative paths of the
    /// <c>files.*</c> handlers resolve against (the current directory unless set).
    /// </summary>
    public static IServiceCollection AddExamplePipelineTasks(this IServiceCollection services, Action<ExampleTaskOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        var options = services.AddOptions<ExampleTaskOptions>();
        if (configure is not null)
        {
            options.Configure(configure);
        }

        services.AddPipelineTask<FilesListTask>(FilesListTask.Name);
        services.AddPipelineTask<FilesChecksumTask>(FilesChecksumTask.Name);
        services.AddPipelineTask<FilesAppendLineTask>(FilesAppendLineTask.Name);
        services.AddPipelineTask<OrdersExtractTask>(OrdersExtractTask.Name);
        services.AddPipelineTask<PricesComputeTask>(PricesComputeTask.Name);
        services.AddPipelineTask<ReportSummarizeTask>(ReportSummarizeTask.Name);
        services.AddTaskRunner<ShellTaskRunner>(ShellTaskRunner.Name);
        return services;
    }
}
