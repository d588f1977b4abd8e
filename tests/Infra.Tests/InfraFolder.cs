namespace DurablePipelines.Infra.Tests;

/// <summary>The repository's <c>infra/</c> folder and the Bicep templates in it.</summary>
internal static class InfraFolder
{
    /// <summary>The full path of <c>infra/</c>, found above the test output folder next to Functions.sln.</summary>
    public static string Path { get; } = Find();

    /// <summary>Every <c>.bicep</c> file under <c>infra/</c>, relative to it with '/' separators, in a stable order.</summary>
    public static IReadOnlyList<string> Templates() =>
        Directory.EnumerateFiles(Path, "*.bicep", SearchOption.AllDirectories)
            .Select(file => System.IO.Path.GetRelativePath(Path, file).Replace('\\', '/'))
            .Order(StringComparer.Ordinal)
            .ToList();

    private static string Find()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(System.IO.Path.Combine(dir.FullName, "Functions.sln")))
            {
                return System.IO.Path.Combine(dir.FullName, "infra");
            }
        }

        throw new InvalidOperationException("the repository root (Functions.sln) is not above the test folder");
    }
}
