using DurablePipelines.TestSupport;

namespace DurablePipelines.Tests.Architecture;

/// <summary>
/// The build enforces the style .editorconfig declares: a scratch project with the repository's .editorconfig,
/// Directory.Build.props and Directory.Packages.props fails to build on a naming slip, a formatting slip or unused
/// code, and builds when the same code is clean.
/// </summary>
public sealed class StyleEnforcementTests
{
    private const string Project = """
        <Project Sdk="Microsoft.NET.Sdk">
        </Project>
        """;

    [Fact]
    public async Task Build_WithNamingFormattingAndUnusedCodeSlips_FailsOnEach()
    {
        var (exitCode, output) = await BuildAsync("""
            namespace Scratch;

            /// <summary>Slips.</summary>
            public sealed class Holder
            {
                private int badName = 1;
                private static readonly int Shared = 1;

                /// <summary>Reads.</summary>
                public int Read()  =>   badName + Shared;

                private static void Unused()
                {
                }
            }
            """);

        Assert.NotEqual(0, exitCode);
        Assert.Contains("IDE1006: Naming rule violation: Missing prefix: '_'", output, StringComparison.Ordinal);
        Assert.Contains("IDE1006: Naming rule violation: Missing prefix: 's_'", output, StringComparison.Ordinal);
        Assert.Contains("IDE0055", output, StringComparison.Ordinal);
        Assert.Contains("IDE0051", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Build_WithTheSameCodeClean_Succeeds()
    {
        var (exitCode, output) = await BuildAsync("""
            namespace Scratch;

            /// <summary>Clean.</summary>
            public sealed class Holder
            {
                private static readonly int s_shared = 1;
                private readonly int _goodName = 1;

                /// <summary>Reads.</summary>
                public int Read() => _goodName + s_shared;
            }
            """);

        Assert.True(exitCode == 0, output);
    }

    private static Task<(int ExitCode, string Output)> BuildAsync(string code) =>
        ScratchBuild.RunAsync(
            new Dictionary<string, string>
            {
                [".editorconfig"] = File.ReadAllText(RepositoryFolder.Combine(".editorconfig")),
                ["Directory.Build.props"] = File.ReadAllText(RepositoryFolder.Combine("Directory.Build.props")),
                ["Directory.Packages.props"] = File.ReadAllText(RepositoryFolder.Combine("Directory.Packages.props")),
                ["global.json"] = File.ReadAllText(RepositoryFolder.Combine("global.json")),
                ["Scratch.csproj"] = Project,
                ["Code.cs"] = code,
            },
            "build", "-nologo", "-v", "q");
}
