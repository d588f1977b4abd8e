using DurablePipelines.Examples.Hosting;
using Microsoft.Extensions.Options;

namespace DurablePipelines.Examples.Tests.Handlers;

/// <summary>Options for a handler built by hand, as <c>AddExamplePipelineTasks</c> would configure them.</summary>
internal static class ExampleOptions
{
    /// <summary>Relative paths resolve against <paramref name="baseFolder"/>; null is the current directory, as on dp.</summary>
    public static IOptions<ExampleTaskOptions> At(string? baseFolder = null) => Options.Create(new ExampleTaskOptions { BaseFolder = baseFolder });
}
