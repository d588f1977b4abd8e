using DurablePipelines.Examples.Hosting;

namespace DurablePipelines.Examples.Tests.Hosting;

public class ExampleTaskOptionsTests
{
    private static readonly string s_base = Path.Combine(Path.GetTempPath(), "dp-base");

    [Fact]
    public void GetFullPath_NoBaseFolder_CurrentDirectory()
    {
        Assert.Equal(Path.Combine(Directory.GetCurrentDirectory(), "a", "b.txt"), new ExampleTaskOptions().GetFullPath("a/b.txt"));
    }

    [Fact]
    public void GetFullPath_RelativePath_UnderBaseFolder()
    {
        Assert.Equal(Path.Combine(s_base, "pipelines"), new ExampleTaskOptions { BaseFolder = s_base }.GetFullPath("pipelines"));
    }

    [Fact]
    public void GetFullPath_AbsolutePath_AsGiven()
    {
        var absolute = Path.Combine(Path.GetTempPath(), "elsewhere", "x.json");

        Assert.Equal(absolute, new ExampleTaskOptions { BaseFolder = s_base }.GetFullPath(absolute));
    }

    [Fact]
    public void GetFullPath_RelativeBaseFolder_ResolvedAgainstCurrentDirectory()
    {
        Assert.Equal(Path.Combine(Directory.GetCurrentDirectory(), "data", "x.json"), new ExampleTaskOptions { BaseFolder = "data" }.GetFullPath("x.json"));
    }
}
