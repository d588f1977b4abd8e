namespace DurablePipelines.Examples.Hosting;

/// <summary>How the example handlers behave on a host; set with <c>AddExamplePipelineTasks(configure)</c>.</summary>
public sealed class ExampleTaskOptions
{
    /// <summary>Where a relative path goes, for config descriptions and validation messages.</summary>
    internal const string RelativeTo = "relative to the host's base folder: the current directory for dp, the app folder for the Function App";

    /// <summary>
    /// The folder a relative path of the <c>files.*</c> handlers resolves against (their <c>folder</c> and
    /// <c>path</c> config, and <c>files.checksum</c>'s task items). A host resolves them where it resolves
    /// <c>Pipelines:Path</c>: <c>dp</c> leaves it unset, the current directory; the Function App sets its app
    /// folder. A relative value is itself resolved against the current directory.
    /// </summary>
    public string? BaseFolder { get; set; }

    /// <summary>The full path of <paramref name="path"/>: as given when absolute, else under <see cref="BaseFolder"/>.</summary>
    internal string GetFullPath(string path) =>
        string.IsNullOrEmpty(BaseFolder) ? Path.GetFullPath(path) : Path.GetFullPath(path, Path.GetFullPath(BaseFolder));
}
