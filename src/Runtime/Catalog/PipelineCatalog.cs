using DurablePipelines.Definitions;
using DurablePipelines.Validation;

namespace DurablePipelines.Catalog;

/// <summary>
/// The pipelines a host serves, loaded from a folder of <c>*.json</c> definitions. A file that fails
/// validation is kept out of the catalog and its errors are listed in <see cref="Problems"/>.
/// </summary>
public sealed class PipelineCatalog
{
    private readonly Dictionary<string, PipelineDefinition> _pipelines = new(StringComparer.Ordinal);
    private readonly List<CatalogProblem> _problems = [];

    /// <summary>Valid pipelines, by name, sorted.</summary>
    public IReadOnlyList<PipelineDefinition> Pipelines => [.. _pipelines.Values.OrderBy(p => p.Name, StringComparer.Ordinal)];

    /// <summary>Files that could not be loaded, with every error.</summary>
    public IReadOnlyList<CatalogProblem> Problems => _problems;

    /// <summary>Loads every <c>*.json</c> file of <paramref name="folder"/> (not recursive), in name order.</summary>
    public static PipelineCatalog LoadFolder(string folder, PipelineValidator validator)
    {
        ArgumentNullException.ThrowIfNull(validator);
        var catalog = new PipelineCatalog();
        if (!Directory.Exists(folder))
        {
            catalog._problems.Add(new CatalogProblem(folder, [new ValidationError("$", ValidationCodes.Required, $"pipeline folder '{folder}' does not exist")]));
            return catalog;
        }

        foreach (var file in Directory.EnumerateFiles(folder, "*.json").Order(StringComparer.Ordinal))
        {
            catalog.AddFile(file, validator);
        }

        return catalog;
    }

    /// <summary>Reads, validates and adds one file; returns its errors (empty when added).</summary>
    public IReadOnlyList<ValidationError> AddFile(string file, PipelineValidator validator)
    {
        ArgumentNullException.ThrowIfNull(validator);
        var (definition, errors) = validator.ReadAndValidate(File.ReadAllText(file));
        if (definition is not null && _pipelines.ContainsKey(definition.Name))
        {
            errors = [new ValidationError("$.name", ValidationCodes.DuplicateTask, $"pipeline '{definition.Name}' is already defined by another file")];
        }

        if (errors.Count > 0 || definition is null)
        {
            _problems.Add(new CatalogProblem(file, errors));
            return errors;
        }

        _pipelines[definition.Name] = definition;
        return [];
    }

    /// <summary>Adds a definition built in code; it must be valid.</summary>
    public void Add(PipelineDefinition definition, PipelineValidator validator)
    {
        ArgumentNullException.ThrowIfNull(definition);
        ArgumentNullException.ThrowIfNull(validator);
        var errors = validator.Validate(definition);
        if (errors.Count > 0)
        {
            throw new PipelineValidationException(errors);
        }

        _pipelines[definition.Name] = definition;
    }

    /// <summary>The pipeline named <paramref name="name"/>, or null.</summary>
    public PipelineDefinition? Find(string name) => _pipelines.GetValueOrDefault(name);
}
