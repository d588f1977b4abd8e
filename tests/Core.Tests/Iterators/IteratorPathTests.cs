using System.Text.Json.Nodes;
using DurablePipelines.Iterators;

namespace DurablePipelines.Tests.Iterators;

public class IteratorPathTests
{
    [Theory]
    [InlineData("input", IteratorRoot.Input, null)]
    [InlineData("input.a.b", IteratorRoot.Input, null)]
    [InlineData("input.rows[2].ids", IteratorRoot.Input, null)]
    [InlineData("input[0][1]", IteratorRoot.Input, null)]
    [InlineData("item", IteratorRoot.Item, null)]
    [InlineData("item.files", IteratorRoot.Item, null)]
    [InlineData("parents.extract.output", IteratorRoot.Parent, "extract")]
    [InlineData("parents.extract.output.orders[0].lines", IteratorRoot.Parent, "extract")]
    public void TryParse_ValidPath_GivesRootAndParent(string text, IteratorRoot root, string? parent)
    {
        Assert.True(IteratorPath.TryParse(text, out var path, out var error));

        Assert.Null(error);
        Assert.Equal((text, root, parent), (path!.Text, path.Root, path.Parent));
    }

    [Theory]
    [InlineData("", "an iterator path cannot be empty")]
    [InlineData("input..a", "'input..a' has an empty step at position 7")]
    [InlineData(".input", "'.input' has an empty step at position 1")]
    [InlineData("input.", "'input.' ends with '.'")]
    [InlineData("input[0].", "'input[0].' ends with '.'")]
    [InlineData("input[x]", "'input[x]' has a bad index at position 6")]
    [InlineData("input[-1]", "'input[-1]' has a bad index at position 6")]
    [InlineData("input[1", "'input[1' has a bad index at position 6")]
    [InlineData("input[0]x", "'input[0]x' needs '.' or '[' at position 9")]
    [InlineData("rows", "'rows' must start with 'input', 'item' or 'parents.<task>.output'")]
    [InlineData("[0]", "'[0]' must start with 'input', 'item' or 'parents.<task>.output'")]
    [InlineData("parents", "'parents' must read 'parents.<task>.output…'")]
    [InlineData("parents.a", "'parents.a' must read 'parents.<task>.output…'")]
    [InlineData("parents.a.result", "'parents.a.result' must read 'parents.<task>.output…'")]
    public void TryParse_BadPath_SaysWhy(string text, string expected)
    {
        Assert.False(IteratorPath.TryParse(text, out var path, out var error));

        Assert.Null(path);
        Assert.Equal(expected, error);
    }

    [Theory]
    [InlineData("input.a.b", "[1,2]")]
    [InlineData("input.rows[1].ids", "[\"x\"]")]
    [InlineData("input.matrix[1][0]", "[3]")]
    [InlineData("item", "[\"i1\",\"i2\"]")]
    [InlineData("parents.extract.output.list", "[{\"id\":1},null]")]
    [InlineData("parents.each.output", "[10,20]")]
    public void Evaluate_PathToArray_GivesItsItems(string text, string expected)
    {
        var found = Parse(text).Evaluate(Context());

        Assert.Null(found.Error);
        Assert.False(found.RequiresPayload);
        Assert.Equal(expected, new JsonArray([.. found.Items!]).ToJsonString());
    }

    [Theory]
    [InlineData("input.name", "iterator 'input.name' must give an array, not string")]
    [InlineData("input.count", "iterator 'input.count' must give an array, not number")]
    [InlineData("input.a", "iterator 'input.a' must give an array, not object")]
    [InlineData("input.missing", "iterator 'input.missing' found nothing: the value is missing or null")]
    [InlineData("input.a.b[5]", "iterator 'input.a.b[5]' found nothing: the value is missing or null")]
    [InlineData("input.name.first", "iterator 'input.name.first' found nothing: the value is missing or null")]
    [InlineData("input.nothing", "iterator 'input.nothing' found nothing: the value is missing or null")]
    [InlineData("parents.ghost.output", "iterator 'parents.ghost.output' found nothing: the value is missing or null")]
    public void Evaluate_PathNotToArray_SaysWhy(string text, string expected)
    {
        var found = Parse(text).Evaluate(Context());

        Assert.Null(found.Items);
        Assert.Equal(expected, found.Error);
    }

    [Fact]
    public void Evaluate_ItemsAreCopies()
    {
        var context = Context();

        var found = Parse("parents.extract.output.list").Evaluate(context);
        found.Items![0]!["id"] = 99;

        Assert.Equal("""{"list":[{"id":1},null]}""", context["parents"]!["extract"]!.ToJsonString());
    }

    [Theory]
    [InlineData("input.stored.list")]
    [InlineData("input.stored")]
    [InlineData("parents.big.output.rows")]
    public void Evaluate_PathThroughStoredPayload_RequiresPayload(string text)
    {
        var context = Context();
        context["input"]!["stored"] = new JsonObject { ["$dpRef"] = "blob-1" };
        context["parents"]!["big"] = new JsonObject { ["$dpRef"] = "blob-2" };

        var found = Parse(text).Evaluate(context);

        Assert.True(found.RequiresPayload);
        Assert.Null(found.Items);
        Assert.Null(found.Error);
    }

    [Fact]
    public async Task EvaluateAsync_PathThroughStoredPayloads_LoadsThemOnTheWay()
    {
        var context = Context();
        context["input"]!["stored"] = new JsonObject { ["$dpRef"] = "outer" };
        var stored = new Dictionary<string, JsonNode?>
        {
            ["outer"] = new JsonObject { ["list"] = new JsonObject { ["$dpRef"] = "inner" } },
            ["inner"] = new JsonArray(1, 2, 3),
        };
        var loaded = new List<string>();

        var found = await Parse("input.stored.list").EvaluateAsync(context, reference =>
        {
            loaded.Add(reference);
            return Task.FromResult(stored[reference]?.DeepClone());
        });

        Assert.Equal(["outer", "inner"], loaded);
        Assert.Equal("[1,2,3]", new JsonArray([.. found.Items!]).ToJsonString());
    }

    private static IteratorPath Parse(string text)
    {
        Assert.True(IteratorPath.TryParse(text, out var path, out var error), error);
        return path!;
    }

    private static JsonObject Context() => new()
    {
        ["input"] = JsonNode.Parse("""
            {
              "a": { "b": [1, 2] },
              "rows": [ { "ids": [] }, { "ids": ["x"] } ],
              "matrix": [ [1, 2], [[3]] ],
              "name": "orders",
              "count": 3,
              "nothing": null
            }
            """),
        ["item"] = new JsonArray("i1", "i2"),
        ["parents"] = new JsonObject
        {
            ["extract"] = JsonNode.Parse("""{ "list": [ { "id": 1 }, null ] }"""),
            ["each"] = new JsonArray(10, 20),
        },
    };
}
