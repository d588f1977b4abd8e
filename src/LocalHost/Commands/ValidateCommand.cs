using System.CommandLine;
using DurablePipelines.Validation;

namespace DurablePipelines.LocalHost.Commands;

/// <summary>
/// <c>dp validate &lt;file|folder&gt;</c>: checks one definition, or every <c>*.json</c> of a folder, and lists
/// every error as <c>&lt;file&gt;: &lt;path&gt;: &lt;message&gt;</c>. Exit 0 when all are valid, 2 otherwise.
/// </summary>
internal static class ValidateCommand
{
    public static Command Create(GlobalOptions globals)
    {
        var target = new Argument<string>("path") { Description = "A pipeline definition file, or a folder of them (*.json, not recursive)" };
        var command = new Command("validate", "Check pipeline definitions and list every error") { target };
        command.SetAction((parse, _) => CliContext.RunAsync(parse, globals, [], context => ExecuteAsync(context, parse.GetValue(target)!)));
        return command;
    }

    private static async Task<int> ExecuteAsync(CliContext context, string target)
    {
        IReadOnlyList<string> files;
        if (Directory.Exists(target))
        {
            files = [.. Directory.EnumerateFiles(target, "*.json").Order(StringComparer.Ordinal)];
            if (files.Count == 0)
            {
                await context.Error.WriteLineAsync($"{target}: no *.json files");
                return ExitCodes.Refused;
            }
        }
        else if (File.Exists(target))
        {
            files = [target];
        }
        else
        {
            await context.Out.WriteLineAsync($"{target}: no such file or folder");
            await context.Out.WriteLineAsync("0 of 1 valid");
            return ExitCodes.Refused;
        }

        var valid = 0;
        var names = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var file in files)
        {
            var (definition, errors) = context.Validator.ReadAndValidate(await File.ReadAllTextAsync(file));
            if (definition is not null && !names.TryAdd(definition.Name, file))
            {
                errors = [new ValidationError("$.name", ValidationCodes.DuplicateTask, $"pipeline '{definition.Name}' is already defined by {names[definition.Name]}")];
            }

            if (errors.Count == 0)
            {
                valid++;
                await context.Out.WriteLineAsync($"{file}: valid");
            }

            await CliContext.WriteErrorsAsync(context.Out, file, errors);
        }

        await context.Out.WriteLineAsync($"{valid} of {files.Count} valid");
        return valid == files.Count ? ExitCodes.Success : ExitCodes.Refused;
    }
}
