using DurablePipelines.Catalog;
using DurablePipelines.Definitions;
using DurablePipelines.Validation;

namespace DurablePipelines.LocalHost.Commands;

/// <summary>Finds the definition a verb is about: a file path, or a pipeline name in the catalog folder.</summary>
internal static class PipelineLookup
{
    /// <summary>
    /// The valid definition <paramref name="fileOrName"/> names, or null after writing why to the error stream:
    /// each validation error as <c>&lt;file&gt;: &lt;path&gt;: &lt;message&gt;</c>, or what was not found.
    /// </summary>
    public static async Task<PipelineDefinition?> FindAsync(CliContext context, string fileOrName)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(fileOrName);
        if (File.Exists(fileOrName))
        {
            var (definition, errors) = context.Validator.ReadAndValidate(await File.ReadAllTextAsync(fileOrName));
            await CliContext.WriteErrorsAsync(context.Error, fileOrName, errors);
            return definition;
        }

        if (Directory.Exists(fileOrName))
        {
            await context.Error.WriteLineAsync($"'{fileOrName}' is a folder: give a pipeline file or a pipeline name");
            return null;
        }

        if (LooksLikePath(fileOrName))
        {
            await context.Error.WriteLineAsync($"{fileOrName}: no such file");
            return null;
        }

        var folder = context.Options.Path;
        var catalog = PipelineCatalog.LoadFolder(folder, context.Validator);
        if (catalog.Find(fileOrName) is { } found)
        {
            return found;
        }

        var broken = catalog.Problems.Where(p => Path.GetFileNameWithoutExtension(p.File) == fileOrName).ToList();
        if (broken.Count > 0)
        {
            foreach (var problem in broken)
            {
                await CliContext.WriteErrorsAsync(context.Error, problem.File, problem.Errors);
            }

            return null;
        }

        if (!Directory.Exists(folder))
        {
            await context.Error.WriteLineAsync($"unknown pipeline '{fileOrName}': the pipeline folder '{folder}' does not exist (set --pipelines or Pipelines:Path)");
            return null;
        }

        var names = catalog.Pipelines.Select(p => p.Name).ToList();
        var known = names.Count == 0 ? "none" : string.Join(", ", names);
        await context.Error.WriteLineAsync($"unknown pipeline '{fileOrName}' in '{folder}'{NameSuggestions.DidYouMean(fileOrName, names)} (known: {known})");
        return null;
    }

    private static bool LooksLikePath(string text) =>
        text.EndsWith(".json", StringComparison.OrdinalIgnoreCase)
        || text.Contains('/', StringComparison.Ordinal)
        || text.Contains('\\', StringComparison.Ordinal);
}
