using System.Text.Json.Nodes;
using DurablePipelines.Examples.Handlers;
using DurablePipelines.TestSupport;

namespace DurablePipelines.Examples.Tests.Handlers;

public class FilesChecksumTaskTests
{
    // SHA-256 of the five bytes "hello".
    private const string HelloSha256 = "2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824";

    [Fact]
    public async Task ExecuteAsync_RelativeItemAndFolder_PathBytesSha256()
    {
        using var temp = new TempFolder();
        temp.Write("docs/a.txt", "hello");

        var output = await new FilesChecksumTask(ExampleOptions.At()).ExecuteAsync(HandlerContext.Create(new JsonObject { ["folder"] = temp.Path }, taskItem: "docs/a.txt"), CancellationToken.None);

        Assert.Equal("docs/a.txt", output!["path"]!.GetValue<string>());
        Assert.Equal(5, output["bytes"]!.GetValue<long>());
        Assert.Equal(HelloSha256, output["sha256"]!.GetValue<string>());
    }

    [Fact]
    public async Task ExecuteAsync_AbsoluteItemNoFolder_Works()
    {
        using var temp = new TempFolder();
        var file = temp.Write("a.txt", "hello");

        var output = await new FilesChecksumTask(ExampleOptions.At()).ExecuteAsync(HandlerContext.Create(taskItem: file), CancellationToken.None);

        Assert.Equal(HelloSha256, output!["sha256"]!.GetValue<string>());
    }

    [Fact]
    public async Task ExecuteAsync_RelativeItemNoFolder_ResolvesAgainstBaseFolder()
    {
        using var temp = new TempFolder();
        temp.Write("docs/a.txt", "hello");

        var output = await new FilesChecksumTask(ExampleOptions.At(temp.Path)).ExecuteAsync(HandlerContext.Create(taskItem: "docs/a.txt"), CancellationToken.None);

        Assert.Equal("docs/a.txt", output!["path"]!.GetValue<string>());
        Assert.Equal(HelloSha256, output["sha256"]!.GetValue<string>());
    }

    [Fact]
    public async Task ExecuteAsync_RelativeFolder_ResolvesAgainstBaseFolder()
    {
        using var temp = new TempFolder();
        temp.Write("docs/a.txt", "hello");

        var output = await new FilesChecksumTask(ExampleOptions.At(temp.Path)).ExecuteAsync(HandlerContext.Create(new JsonObject { ["folder"] = "docs" }, taskItem: "a.txt"), CancellationToken.None);

        Assert.Equal("a.txt", output!["path"]!.GetValue<string>());
        Assert.Equal(HelloSha256, output["sha256"]!.GetValue<string>());
    }

    [Fact]
    public async Task ExecuteAsync_NoTaskItem_ExplainsWhatItNeeds()
    {
        var ex = await Assert.ThrowsAsync<ArgumentException>(() => new FilesChecksumTask(ExampleOptions.At()).ExecuteAsync(HandlerContext.Create(), CancellationToken.None));

        Assert.StartsWith("files.checksum needs a task item that is a file path", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ExecuteAsync_MissingFile_Throws()
    {
        using var temp = new TempFolder();

        await Assert.ThrowsAsync<FileNotFoundException>(() => new FilesChecksumTask(ExampleOptions.At()).ExecuteAsync(HandlerContext.Create(new JsonObject { ["folder"] = temp.Path }, taskItem: "gone.txt"), CancellationToken.None));
    }

    [Fact]
    public async Task ExecuteAsync_Cancelled_Throws()
    {
        using var temp = new TempFolder();
        var file = temp.Write("a.txt", "hello");
        using var cancel = new CancellationTokenSource();
        await cancel.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => new FilesChecksumTask(ExampleOptions.At()).ExecuteAsync(HandlerContext.Create(taskItem: file), cancel.Token));
    }

    [Fact]
    public void ValidateConfig_UnknownMemberAndBadTemplate_BothReported()
    {
        var errors = new FilesChecksumTask(ExampleOptions.At()).ValidateConfig(new JsonObject { ["folder"] = "{input.x", ["algo"] = "md5" }).Select(e => e.Path).ToList();

        Assert.Equal([".algo", ".folder"], errors);
    }
}
