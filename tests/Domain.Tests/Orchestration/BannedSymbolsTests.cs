using System.Diagnostics;

namespace DurablePipelines.Tests.Orchestration;

/// <summary>
/// A slip in orchestration code (reading the clock, a GUID, the environment) must fail the build. These tests
/// build a scratch project with Domain's own BannedSymbols.txt and the same analyzer, once with a slip and once
/// without, and check that .editorconfig does not exempt the folders orchestration code lives in.
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
    public void EditorConfig_DoesNotExemptOrchestrationFolders()
    {
        var root = RepositoryRoot();
        var exemption = File.ReadAllLines(Path.Combine(root, ".editorconfig"))
            .Single(l => l.StartsWith("[src/Domain/{", StringComparison.Ordinal));
        foreach (var folder in new[] { "Orchestration", "Graph", "Definitions", "Validation", "Iterators", "Records" })
        {
            Assert.DoesNotContain(folder, exemption, StringComparison.Ordinal);
        }

        Assert.Contains("<AdditionalFiles Include=\"BannedSymbols.txt\" />", File.ReadAllText(Path.Combine(root, "src/Domain/Domain.csproj")), StringComparison.Ordinal);
    }

    private static string RepositoryRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Functions.sln")))
        {
            dir = dir.Parent;
        }

        return dir?.FullName ?? throw new InvalidOperationException("repository root not found");
    }

    private static async Task<(int ExitCode, string Output)> BuildAsync(string code)
    {
        var dir = Directory.CreateTempSubdirectory("dp-banned-");
        try
        {
            await File.WriteAllTextAsync(Path.Combine(dir.FullName, "Scratch.csproj"), Project);
            File.Copy(Path.Combine(AppContext.BaseDirectory, "BannedSymbols.txt"), Path.Combine(dir.FullName, "BannedSymbols.txt"));
            await File.WriteAllTextAsync(Path.Combine(dir.FullName, "Code.cs"), code);
            var start = new ProcessStartInfo("dotnet", ["build", "-nologo", "-v", "q", dir.FullName])
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                WorkingDirectory = dir.FullName,
            };
            using var process = Process.Start(start)!;
            var stdout = process.StandardOutput.ReadToEndAsync();
            var stderr = process.StandardError.ReadToEndAsync();
            await process.WaitForExitAsync();
            return (process.ExitCode, await stdout + await stderr);
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }
}
