using DurablePipelines.Hosting;
using DurablePipelines.Validation;
using Microsoft.Extensions.DependencyInjection;

namespace DurablePipelines.Tests.Validation;

/// <summary>A validator built the way hosts build it: the built-in handlers plus a test iterator source.</summary>
internal static class TestValidator
{
    /// <summary>The name <see cref="FilesSource"/> is registered under.</summary>
    public const string FilesSourceName = "files";

    public static PipelineValidator Create() =>
        new ServiceCollection()
            .AddLogging()
            .AddDurablePipelines()
            .AddPipelineTask<FilesSource>(FilesSourceName)
            .BuildServiceProvider()
            .GetRequiredService<PipelineValidator>();
}
