using DurablePipelines.Execution;
using DurablePipelines.Handlers;
using DurablePipelines.LocalHost.Commands;
using DurablePipelines.LocalHost.Hosting;
using Microsoft.Extensions.DependencyInjection;

// A task process of the 'process' execution: one attempt, with the handlers dp itself registers.
if (TaskProcessWorker.IsWorker(args))
{
    await using var services = LocalHostServices.Create(LocalHostConfiguration.Build([]));
    return await TaskProcessWorker.RunAsync(services.GetRequiredService<HandlerRegistry>());
}

return await DpCommandLine.InvokeAsync(args);
