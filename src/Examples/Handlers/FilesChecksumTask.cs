using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Nodes;
using DurablePipelines.Examples.Hosting;
using DurablePipelines.Handlers;
using Microsoft.Extensions.Options;

namespace DurablePipelines.Examples.Handlers;

/// <summary>
/// <c>files.checksum</c>: for a task item that is a file path, returns <c>{ path, bytes, sha256 }</c> (hex,
/// lower case). Config <c>folder</c> (optional, may read the run as in <c>{input.folder}</c>) is the folder a
/// relative item resolves against; a relative folder, or a relative item without it, resolves against
/// <see cref="ExampleTaskOptions.BaseFolder"/>.
/// </summary>
internal sealed class FilesChecksumTask(IOptions<ExampleTaskOptions> options) : IPipelineTask
{
    public const string Name = "files.checksum";

    private static readonly ConfigReader s_schema = new ConfigReader()
        .Member("folder", $"the folder relative task items resolve against, absolute or {ExampleTaskOptions.RelativeTo}", false, JsonValueKind.String);

    public IEnumerable<ConfigError> ValidateConfig(JsonObject? config) =>
        config?["folder"] is JsonValue v && v.TryGetValue<string>(out var folder)
            ? s_schema.Validate(config).Concat(TaskInputTemplate.Check("folder", folder))
            : s_schema.Validate(config);

    public async Task<JsonNode?> ExecuteAsync(TaskContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (context.TaskItem is not JsonValue item || !item.TryGetValue<string>(out var path) || path.Length == 0)
        {
            throw new ArgumentException($"{Name} needs a task item that is a file path (give the task an iterator over paths, such as a files.list output)");
        }

        var folder = context.Config?["folder"]?.GetValue<string>() is { } f ? TaskInputTemplate.Render(f, context) : string.Empty;
        var full = options.Value.GetFullPath(Path.Combine(folder, path));
        await using var stream = new FileStream(full, FileMode.Open, FileAccess.Read, FileShare.Read, 81920, useAsync: true);
        var hash = await SHA256.HashDataAsync(stream, cancellationToken);
        return new JsonObject
        {
            ["path"] = path,
            ["bytes"] = stream.Length,
            ["sha256"] = Convert.ToHexStringLower(hash),
        };
    }
}
