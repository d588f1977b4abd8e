using System.Text.Json.Nodes;
using DurablePipelines.Examples.Handlers;

namespace DurablePipelines.Examples.Tests.Handlers;

public class TaskInputTemplateTests
{
    [Fact]
    public void Render_Placeholders_ReadTaskInput()
    {
        var context = HandlerContext.Create(
            input: new JsonObject { ["root"] = "/data", ["regions"] = new JsonArray("eu", "us") },
            item: new JsonObject { ["n"] = 3 },
            parents: new JsonObject { ["list"] = new JsonObject { ["dir"] = "x" } });

        var text = TaskInputTemplate.Render("{input.root}/{input.regions.1}/{item.n}/{parents.list.dir}/{input.root}", context);

        Assert.Equal("/data/us/3/x//data", text);
    }

    [Fact]
    public void Render_NoPlaceholders_Unchanged()
    {
        Assert.Equal("plain/folder", TaskInputTemplate.Render("plain/folder", HandlerContext.Create()));
    }

    [Fact]
    public void Render_ObjectValue_Throws()
    {
        var ex = Assert.Throws<InvalidOperationException>(() => TaskInputTemplate.Render("{input}", HandlerContext.Create(input: new JsonObject())));

        Assert.Equal("template '{input}': {input} is missing from the task input or not a plain value", ex.Message);
    }

    [Theory]
    [InlineData("a}b", "'folder': unmatched '}' at position 2")]
    [InlineData("{a{b}}", "'folder': nested '{' at position 3")]
    [InlineData("x{}", "'folder': empty placeholder at position 2")]
    [InlineData("{config.x}", "'folder': placeholder {config.x} must start with one of input, item, taskItem, parents")]
    public void Check_BadTemplates_Explained(string template, string message)
    {
        var error = Assert.Single(TaskInputTemplate.Check("folder", template));

        Assert.Equal(message, error.Message);
    }
}
