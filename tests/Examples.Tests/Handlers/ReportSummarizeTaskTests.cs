using System.Text.Json.Nodes;
using DurablePipelines.Examples.Handlers;

namespace DurablePipelines.Examples.Tests.Handlers;

public class ReportSummarizeTaskTests
{
    [Fact]
    public async Task ExecuteAsync_Checksums_CountTotalBytesAndFilesByPath()
    {
        var parents = new JsonObject
        {
            ["checksum"] = new JsonArray(
                new JsonObject { ["path"] = "b.txt", ["bytes"] = 10L, ["sha256"] = "bb" },
                new JsonObject { ["path"] = "a.txt", ["bytes"] = 5L, ["sha256"] = "aa" }),
        };

        var output = await new ReportSummarizeTask().ExecuteAsync(HandlerContext.Create(parents: parents), CancellationToken.None);

        Assert.Equal(2, output!["count"]!.GetValue<int>());
        Assert.Equal(15, output["totalBytes"]!.GetValue<long>());
        Assert.Equal(["a.txt", "b.txt"], output["files"]!.AsArray().Select(f => f!["path"]!.GetValue<string>()));
        Assert.Equal(2, output["parents"]!["checksum"]!.GetValue<int>());
    }

    [Fact]
    public async Task ExecuteAsync_Objects_TotalsSharedNumberMembers()
    {
        var parents = new JsonObject
        {
            ["price"] = new JsonArray(
                new JsonObject { ["id"] = "1", ["amount"] = 1.5, ["price"] = 2 },
                new JsonObject { ["id"] = "2", ["amount"] = 2.25m, ["price"] = "n/a" }),
        };

        var output = await new ReportSummarizeTask().ExecuteAsync(HandlerContext.Create(parents: parents), CancellationToken.None);

        Assert.Equal(2, output!["count"]!.GetValue<int>());
        Assert.Equal("""{"amount":3.75}""", output["totals"]!.ToJsonString());
        Assert.Null(output["files"]);
    }

    [Fact]
    public async Task ExecuteAsync_SeveralParentsAndPlainValues_CountsPerParent()
    {
        var parents = new JsonObject
        {
            ["b"] = new JsonObject { ["x"] = 1 },
            ["a"] = new JsonArray(1, 2, 3),
            ["c"] = null,
        };

        var output = await new ReportSummarizeTask().ExecuteAsync(HandlerContext.Create(parents: parents), CancellationToken.None);

        Assert.Equal(4, output!["count"]!.GetValue<int>());
        Assert.Equal("""{"a":3,"b":1,"c":0}""", output["parents"]!.ToJsonString());
        Assert.Equal("{}", output["totals"]!.ToJsonString());
    }

    [Fact]
    public async Task ExecuteAsync_NoParents_CountZero()
    {
        var output = await new ReportSummarizeTask().ExecuteAsync(HandlerContext.Create(), CancellationToken.None);

        Assert.Equal(0, output!["count"]!.GetValue<int>());
    }

    [Fact]
    public void ValidateConfig_AnyMember_Unknown()
    {
        var error = Assert.Single(new ReportSummarizeTask().ValidateConfig(new JsonObject { ["x"] = 1 }));

        Assert.Equal(".x", error.Path);
    }
}
