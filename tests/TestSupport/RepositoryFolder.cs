namespace DurablePipelines.TestSupport;

/// <summary>The repository's root folder (where Functions.sln is), found above the test output folder.</summary>
public static class RepositoryFolder
{
    /// <summary>The full path of the repository's root.</summary>
    public static string Path { get; } = Find();

    /// <summary>A path inside the repository, from '/'-separated parts relative to its root.</summary>
    public static string Combine(string relative) => System.IO.Path.Combine(Path, relative);

    private static string Find()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(System.IO.Path.Combine(dir.FullName, "Functions.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("the repository root (Functions.sln) is not above the test folder");
    }
}
