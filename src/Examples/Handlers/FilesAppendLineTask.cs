using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using DurablePipelines.Examples.Hosting;
using DurablePipelines.Handlers;
using Microsoft.Extensions.Options;

namespace DurablePipelines.Examples.Handlers;

/// <summary>
/// <c>files.appendLine</c>: appends one line to the file at <c>path</c> (created when missing; may read the run, as
/// in <c>{input.file}</c>; a relative path resolves against <see cref="ExampleTaskOptions.BaseFolder"/>): the task
/// result's idempotency key, then a tab and <c>text</c> when given; then waits
/// <c>delayMs</c> on the host's clock (default 0, honouring cancellation), standing for work after the side effect. Returns
/// <c>{ path, key, text }</c>. A demo of at-least-once: a result whose host dies during the wait has appended but
/// is not recorded, so it runs again and appends a second line with the same key.
/// </summary>
internal sealed class FilesAppendLineTask(IOptions<ExampleTaskOptions> options, TimeProvider time) : IPipelineTask
{
    public const string Name = "files.appendLine";

    private static readonly ConfigReader s_schema = new ConfigReader()
        .Member("path", $"a file path, absolute or {ExampleTaskOptions.RelativeTo}", true, JsonValueKind.String)
        .Member("text", "text written after the key", false, JsonValueKind.String)
        .Member("delayMs", "a whole number of milliseconds of at least 0", false, JsonValueKind.Number);

    // Results run at once: one append at a time keeps every line whole.
    private static readonly SemaphoreSlim s_append = new(1, 1);

    public IEnumerable<ConfigError> ValidateConfig(JsonObject? config)
    {
        foreach (var error in s_schema.Validate(config).Concat(ConfigReader.NonNegativeInt(config, "delayMs")))
        {
            yield return error;
        }

        foreach (var member in (string[])["path", "text"])
        {
            if (config?[member] is JsonValue v && v.TryGetValue<string>(out var template))
            {
                foreach (var error in TaskInputTemplate.Check(member, template))
                {
                    yield return error;
                }
            }
        }
    }

    public async Task<JsonNode?> ExecuteAsync(TaskContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var path = options.Value.GetFullPath(TaskInputTemplate.Render(context.Config?["path"]?.GetValue<string>() ?? string.Empty, context));
        var text = context.Config?["text"]?.GetValue<string>() is { } t ? TaskInputTemplate.Render(t, context) : null;
        var line = Encoding.UTF8.GetBytes(text is null ? $"{context.IdempotencyKey}\n" : $"{context.IdempotencyKey}\t{text}\n");
        await s_append.WaitAsync(cancellationToken);
        try
        {
            await using var file = new FileStream(path, FileMode.Append, FileAccess.Write, FileShare.ReadWrite, 4096, useAsync: true);
            await file.WriteAsync(line, CancellationToken.None);
        }
        finally
        {
            s_append.Release();
        }

        var delay = ConfigReader.Int(context.Config, "delayMs", 0);
        if (delay > 0)
        {
            await Task.Delay(TimeSpan.FromMilliseconds(delay), time, cancellationToken);
        }

        return new JsonObject { ["path"] = path, ["key"] = context.IdempotencyKey, ["text"] = text };
    }
}
