using System.Text.Json;
using System.Text.Json.Nodes;
using DurablePipelines.Examples.Hosting;
using DurablePipelines.Handlers;
using Microsoft.Extensions.Options;

namespace DurablePipelines.Examples.Handlers;

/// <summary>
/// <c>files.list</c>: the files under a folder, as paths relative to it with <c>/</c> separators, sorted
/// ordinally. Config: <c>folder</c> (required; a relative folder resolves against
/// <see cref="ExampleTaskOptions.BaseFolder"/>; may read the run, as in <c>{input.folder}</c>), <c>pattern</c>
/// (default <c>*</c>), <c>recursive</c> (default true). As a task it returns the array; as an iterator source its
/// items are the paths.
/// </summary>
internal sealed class FilesListTask(IOptions<ExampleTaskOptions> options) : IPipelineTask, IIteratorSource
{
    public const string Name = "files.list";

    private static readonly ConfigReader s_schema = new ConfigReader()
        .Member("folder", $"a folder path, absolute or {ExampleTaskOptions.RelativeTo}", true, JsonValueKind.String)
        .Member("pattern", "a file name pattern such as *.json", false, JsonValueKind.String)
        .Member("recursive", "true or false", false, JsonValueKind.True, JsonValueKind.False);

    public IEnumerable<ConfigError> ValidateConfig(JsonObject? config)
    {
        foreach (var error in s_schema.Validate(config))
        {
            yield return error;
        }

        foreach (var member in (string[])["folder", "pattern"])
        {
            if (config?[member] is JsonValue v && v.TryGetValue<string>(out var text))
            {
                foreach (var error in TaskInputTemplate.Check(member, text))
                {
                    yield return error;
                }
            }
        }
    }

    public Task<JsonNode?> ExecuteAsync(TaskContext context, CancellationToken cancellationToken) =>
        Task.FromResult<JsonNode?>(new JsonArray([.. List(context, cancellationToken).Select(p => JsonValue.Create(p))]));

    public Task<IReadOnlyList<JsonNode?>> GetItemsAsync(TaskContext context, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<JsonNode?>>([.. List(context, cancellationToken).Select(p => (JsonNode?)JsonValue.Create(p))]);

    /// <summary>The sorted relative paths the config names.</summary>
    private List<string> List(TaskContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var config = context.Config;
        var folder = TaskInputTemplate.Render(config?["folder"]?.GetValue<string>() ?? throw new InvalidOperationException("'folder' is required"), context);
        var pattern = config?["pattern"]?.GetValue<string>() is { } p ? TaskInputTemplate.Render(p, context) : "*";
        var recursive = config?["recursive"]?.GetValue<bool>() ?? true;
        var root = options.Value.GetFullPath(folder);
        if (!Directory.Exists(root))
        {
            throw new DirectoryNotFoundException($"folder '{folder}' does not exist (resolved to '{root}')");
        }

        var enumeration = new EnumerationOptions { RecurseSubdirectories = recursive, IgnoreInaccessible = true, MatchType = MatchType.Simple };
        var files = new List<string>();
        foreach (var file in Directory.EnumerateFiles(root, pattern, enumeration))
        {
            cancellationToken.ThrowIfCancellationRequested();
            files.Add(Path.GetRelativePath(root, file).Replace('\\', '/'));
        }

        files.Sort(StringComparer.Ordinal);
        return files;
    }
}
