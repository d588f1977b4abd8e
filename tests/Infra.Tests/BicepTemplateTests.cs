using System.Text.Json;

namespace DurablePipelines.Infra.Tests;

/// <summary>
/// Every Bicep template under <c>infra/</c> compiles and lints clean with the Bicep CLI from the
/// <c>Azure.Bicep.CommandLine.linux-x64</c> package: exit code 0 and not one diagnostic, warnings included (Bicep
/// exits 0 on warnings, so the tests read what it wrote). <c>--no-restore</c> keeps Bicep off the network: these
/// templates use only local modules, and without it each build and lint first looks up the public module registry's
/// index (a DNS query for aka.ms), which no machine here can reach.
/// The last two tests show that the same checks see an error and a warning in a scratch template.
/// </summary>
public sealed class BicepTemplateTests
{
    [Fact]
    public async Task Build_EveryTemplate_CompilesWithoutDiagnostics()
    {
        var templates = InfraFolder.Templates();
        Assert.NotEmpty(templates);
        var output = Directory.CreateTempSubdirectory("infra-tests-");
        try
        {
            // Each file on its own (a module as well as main.bicep), in one run: Bicep starts in seconds, not instantly.
            var result = await BicepCli.RunAsync(InfraFolder.Path, "build", "--no-restore", "--pattern", "**/*.bicep", "--outdir", output.FullName);

            Assert.True(result.ExitCode == 0, result.Describe());
            Assert.True(Diagnostics(result).Length == 0, $"Bicep reported diagnostics:\n{result.Describe()}");
            foreach (var template in templates)
            {
                var compiled = Path.Combine(output.FullName, Path.ChangeExtension(template, ".json"));
                Assert.True(File.Exists(compiled), $"{template} was not compiled to {compiled}:\n{result.Describe()}");
                using var json = JsonDocument.Parse(await File.ReadAllTextAsync(compiled));
                Assert.True(json.RootElement.TryGetProperty("$schema", out _), $"{compiled} is not an ARM template");
            }
        }
        finally
        {
            output.Delete(recursive: true);
        }
    }

    [Fact]
    public async Task Lint_EveryTemplate_ReportsNoDiagnostics()
    {
        var result = await BicepCli.RunAsync(InfraFolder.Path, "lint", "--no-restore", "--pattern", "**/*.bicep");

        Assert.True(result.ExitCode == 0, result.Describe());
        Assert.True(Diagnostics(result).Length == 0, $"Bicep reported diagnostics:\n{result.Describe()}");
    }

    [Fact]
    public async Task Build_MainTemplate_DeploysEveryModuleAtSubscriptionScope()
    {
        var result = await BicepCli.RunAsync(InfraFolder.Path, "build", "--no-restore", "--stdout", "main.bicep");
        Assert.True(result.ExitCode == 0, result.Describe(withStandardOutput: false));

        using var compiled = JsonDocument.Parse(result.StandardOutput);
        var schema = compiled.RootElement.GetProperty("$schema").GetString();
        Assert.EndsWith("/subscriptionDeploymentTemplate.json#", schema, StringComparison.Ordinal);

        // main.bicep names each module deployment after its file, so every module is compiled as part of main too.
        var deployments = compiled.RootElement.GetProperty("resources").EnumerateArray()
            .Where(resource => resource.GetProperty("type").GetString() == "Microsoft.Resources/deployments")
            .Select(resource => resource.GetProperty("name").GetString())
            .Order(StringComparer.Ordinal)
            .ToList();
        var modules = InfraFolder.Templates()
            .Where(template => template.StartsWith("modules/", StringComparison.Ordinal))
            .Select(Path.GetFileNameWithoutExtension)
            .Order(StringComparer.Ordinal)
            .ToList();
        Assert.Equal(modules, deployments);
    }

    [Fact]
    public async Task Build_TemplateWithTypeError_FailsAndSaysWhy()
    {
        var result = await RunOnScratchTemplateAsync("output total int = 1 + 'one'\n", "build", "--no-restore", "--stdout");

        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains("Error BCP045", result.StandardError, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Lint_TemplateWithUnusedParameter_ExitsZeroButReportsTheWarning()
    {
        var result = await RunOnScratchTemplateAsync("param unused string\n", "lint", "--no-restore");

        Assert.Equal(0, result.ExitCode);
        Assert.Contains("Warning no-unused-params", result.StandardError, StringComparison.Ordinal);
    }

    /// <summary>Everything a lint or an <c>--outdir</c> build wrote: only diagnostics, errors, warnings and infos alike.</summary>
    private static string Diagnostics(BicepResult result) => (result.StandardError + result.StandardOutput).Trim();

    private static async Task<BicepResult> RunOnScratchTemplateAsync(string source, params string[] command)
    {
        var folder = Directory.CreateTempSubdirectory("infra-tests-");
        try
        {
            await File.WriteAllTextAsync(Path.Combine(folder.FullName, "scratch.bicep"), source);
            return await BicepCli.RunAsync(folder.FullName, [.. command, "scratch.bicep"]);
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }
}
