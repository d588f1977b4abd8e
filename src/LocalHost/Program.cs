using DurablePipelines.LocalHost.Commands;

return await DpCommandLine.InvokeAsync(args);
