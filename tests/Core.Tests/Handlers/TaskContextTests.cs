using System.Text.Json.Nodes;
using DurablePipelines.Handlers;

namespace DurablePipelines.Tests.Handlers;

/// <summary>A context whose input, item and parents are shared with the other results of its task, as an executor builds it.</summary>
public sealed class TaskContextTests
{
    private static readonly JsonObject s_input = new() { ["items"] = new JsonArray(1, 2, 3) };

    private static TaskContext Shared(JsonNode input) => new()
    {
        RunId = "r",
        Pipeline = "p",
        Task = "t",
        InputValue = CopyOnRead.Share(input),
        ItemValue = CopyOnRead.Share(JsonValue.Create("item")),
        ParentsValue = CopyOnRead.Share(new JsonObject { ["up"] = new JsonArray(4) }),
    };

    [Fact]
    public void Input_ReadAndChanged_TheHandlersOwnCopySameOnEveryReadSharedValueUntouched()
    {
        var shared = s_input.DeepClone();
        var context = Shared(shared);

        var input = context.Input!;
        input["items"]!.AsArray().Clear();
        context.Parents["up"]!.AsArray().Add(5);

        Assert.Same(input, context.Input);
        Assert.NotSame(shared, input);
        Assert.Equal("""{"items":[1,2,3]}""", shared.ToJsonString());
        Assert.Equal("""{"input":{"items":[]},"item":"item","taskItem":null,"parents":{"up":[4,5]},"config":null}""", context.ToTaskInput().ToJsonString());
    }

    [Fact]
    public void ToTaskInput_InputNeverRead_CopiesOfTheSharedValues()
    {
        var shared = s_input.DeepClone();
        var context = Shared(shared);

        var taskInput = context.ToTaskInput();
        taskInput["input"]!["items"]!.AsArray().Clear();

        Assert.Equal("""{"items":[1,2,3]}""", shared.ToJsonString());
        Assert.Equal("""{"items":[1,2,3]}""", context.Input!.ToJsonString());
    }

    /// <summary>Many threads reading at once get one copy, as one reader would.</summary>
    [Fact]
    public void Input_ReadFromManyThreadsAtOnce_OneCopy()
    {
        var context = Shared(s_input.DeepClone());

        var reads = new JsonNode?[16];
        Parallel.For(0, reads.Length, i => reads[i] = context.Input);

        Assert.All(reads, r => Assert.Same(reads[0], r));
    }

    [Fact]
    public void Init_ValuesGivenDirectly_TheSameNodesBack()
    {
        var input = new JsonObject { ["a"] = 1 };
        var parents = new JsonObject();

        var context = new TaskContext { RunId = "r", Pipeline = "p", Task = "t", Input = input, Parents = parents };

        Assert.Same(input, context.Input);
        Assert.Same(parents, context.Parents);
        Assert.Null(context.Item);
        Assert.Empty(new TaskContext { RunId = "r", Pipeline = "p", Task = "t" }.Parents);
    }
}
