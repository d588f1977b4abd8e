using System.Xml.Linq;
using DurablePipelines.Definitions;
using DurablePipelines.TestSupport;

namespace DurablePipelines.Tests.Architecture;

/// <summary>
/// The core (src/Core) depends on nothing of ours and on no package: the runtime, storage and hosts depend on it, never
/// the reverse. Core.csproj's <c>CoreReferencesNothingOfOurs</c> target fails the build when a reference is added; these
/// tests run that target on a copy of the project with one added, and check what the built assembly references.
/// </summary>
public sealed class CoreBoundaryTests
{
    [Fact]
    public void CoreAssembly_ReferencesOnlyTheBaseLibrary()
    {
        var references = typeof(PipelineDefinition).Assembly.GetReferencedAssemblies().Select(a => a.Name!).ToList();

        Assert.NotEmpty(references);
        Assert.All(references, name => Assert.True(name == "System" || name.StartsWith("System.", StringComparison.Ordinal) || name == "netstandard", $"the core references {name}"));
    }

    [Fact]
    public async Task CoreProject_AsItIs_PassesItsBoundaryCheck()
    {
        var (exitCode, output) = await RunBoundaryCheckAsync(_ => { });

        Assert.True(exitCode == 0, output);
    }

    [Fact]
    public async Task CoreProject_WithAProjectReference_FailsTheBuild()
    {
        var (exitCode, output) = await RunBoundaryCheckAsync(project => project.Add(new XElement("ItemGroup", new XElement("ProjectReference", new XAttribute("Include", "../Runtime/Runtime.csproj")))));

        Assert.NotEqual(0, exitCode);
        Assert.Contains("src/Core must not reference another project", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CoreProject_WithARuntimePackage_FailsTheBuild()
    {
        var (exitCode, output) = await RunBoundaryCheckAsync(project => project.Add(new XElement("ItemGroup", new XElement("PackageReference", new XAttribute("Include", "Microsoft.Extensions.Logging.Abstractions")))));

        Assert.NotEqual(0, exitCode);
        Assert.Contains("src/Core takes no runtime package", output, StringComparison.Ordinal);
    }

    private static Task<(int ExitCode, string Output)> RunBoundaryCheckAsync(Action<XElement> change)
    {
        var project = XElement.Load(RepositoryFolder.Combine("src/Core/Core.csproj"));
        change(project);
        return ScratchBuild.RunAsync(new Dictionary<string, string> { ["Core.csproj"] = project.ToString() }, "msbuild", "Core.csproj", "-t:CoreReferencesNothingOfOurs", "-nologo", "-v:q");
    }
}
