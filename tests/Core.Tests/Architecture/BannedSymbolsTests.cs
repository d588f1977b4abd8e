using DurablePipelines.TestSupport;

namespace DurablePipelines.Tests.Architecture;

/// <summary>
/// A slip in orchestration code (reading the clock, a GUID, the environment) must fail the build. These tests
/// build a scratch project with the core's own BannedSymbols.txt and the same analyzer, once with a slip and once
/// without, and check that nothing exempts a file of the core from the rule.
/// </summary>
public sealed class BannedSymbolsTests
{
    private const string Project = """
        <Project Sdk="Microsoft.NET.Sdk">
          <PropertyGroup>
            <TargetFramework>net10.0</TargetFramework>
            <ImplicitUsings>enable</ImplicitUsings>
            <Nullable>enable</Nullable>
            <TreatWarningsAsErrors>true</TreatWarningsAsErrors>
          </PropertyGroup>
          <ItemGroup>
            <PackageReference Include="Microsoft.CodeAnalysis.BannedApiAnalyzers" Version="5.6.0" PrivateAssets="all" />
            <AdditionalFiles Include="BannedSymbols.txt" />
          </ItemGroup>
        </Project>
        """;

    [Fact]
    public async Task Build_OrchestrationCodeReadingTheClock_FailsWithRS0030()
    {
        var (exitCode, output) = await BuildAsync("""
            namespace Slip;
            public static class Orchestrator
            {
                public static DateTime When() => DateTime.UtcNow;
                public static Guid Id() => Guid.NewGuid();
            }
            """);

        Assert.NotEqual(0, exitCode);
        Assert.Contains("RS0030", output, StringComparison.Ordinal);
        Assert.Contains("Orchestration code reads time from IOrchestrationContext.CurrentUtcDateTime", output, StringComparison.Ordinal);
        Assert.Contains("Orchestration code gets ids from IOrchestrationContext.NewGuid", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Build_OrchestrationCodeWithoutSlips_Succeeds()
    {
        var (exitCode, output) = await BuildAsync("""
            namespace Clean;
            public static class Orchestrator
            {
                public static DateTime Later(DateTime now) => now.AddMinutes(1);
            }
            """);

        Assert.True(exitCode == 0, output);
    }

    [Fact]
    public void EditorConfig_ExemptsNoFileOfTheCore()
    {
        var section = "";
        foreach (var line in File.ReadAllLines(RepositoryFolder.Combine(".editorconfig")).Select(l => l.Trim()))
        {
            if (line.StartsWith('['))
            {
                section = line;
            }
            else if (line.StartsWith("dotnet_diagnostic.RS0030.severity", StringComparison.Ordinal))
            {
                Assert.True(section.StartsWith("[src/", StringComparison.Ordinal) && !section.StartsWith("[src/Core", StringComparison.Ordinal) && !section.StartsWith("[src/{", StringComparison.Ordinal),
                    $"{section} sets RS0030: the banned symbols apply to every file of src/Core");
            }
        }

        Assert.Contains("<AdditionalFiles Include=\"BannedSymbols.txt\" />", File.ReadAllText(RepositoryFolder.Combine("src/Core/Core.csproj")), StringComparison.Ordinal);
    }

    private static Task<(int ExitCode, string Output)> BuildAsync(string code) =>
        ScratchBuild.RunAsync(
            new Dictionary<string, string>
            {
                ["Scratch.csproj"] = Project,
                ["BannedSymbols.txt"] = File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "BannedSymbols.txt")),
                ["Code.cs"] = code,
            },
            "build", "-nologo", "-v", "q");
}
