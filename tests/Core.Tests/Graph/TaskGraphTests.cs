using DurablePipelines.Definitions;
using DurablePipelines.Graph;

namespace DurablePipelines.Tests.Graph;

public class TaskGraphTests
{
    [Fact]
    public void Create_NoTaskDeclaresParents_IsASequenceInDefinitionOrder()
    {
        var graph = TaskGraph.Create(new PipelineBuilder("p").Task("a", "echo").Task("b", "echo").Task("c", "echo").Build());

        Assert.Equal([[], [0], [1]], graph.Parents);
        Assert.Equal([[1], [2], []], graph.Children);
        Assert.Equal([0, 1, 2], graph.TopologicalOrder);
    }

    [Fact]
    public void Create_AnyTaskDeclaresParents_TasksWithoutParentsAreRoots()
    {
        var graph = TaskGraph.Create(new PipelineBuilder("p")
            .Task("a", "echo")
            .Task("b", "echo")
            .Task("c", "echo", t => t.After("a"))
            .Build());

        Assert.Equal([[], [], [0]], graph.Parents);
        Assert.Equal([0, 1], Enumerable.Range(0, graph.Count).Where(i => graph.Parents[i].Length == 0));
    }

    [Fact]
    public void Create_EmptyParentsList_MakesThePipelineAGraph()
    {
        var definition = new PipelineDefinition
        {
            Name = "p",
            Tasks = [new TaskDefinition { Name = "a", Handler = "echo" }, new TaskDefinition { Name = "b", Handler = "echo", Parents = [] }],
        };

        var graph = TaskGraph.Create(definition);

        Assert.True(definition.IsGraph);
        Assert.Equal([[], []], graph.Parents);
    }

    [Fact]
    public void TopologicalOrder_Ties_KeepDefinitionOrder()
    {
        var graph = TaskGraph.Create(new PipelineBuilder("p")
            .Task("x", "echo", t => t.After("z"))
            .Task("y", "echo")
            .Task("z", "echo")
            .Task("w", "echo", t => t.After("y"))
            .Build());

        Assert.Equal([1, 2, 0, 3], graph.TopologicalOrder);
    }

    [Fact]
    public void Create_TasksListedAfterTheirParents_OrderIsDefinitionOrderAndChildrenAreInIndexOrder()
    {
        var graph = TaskGraph.Create(new PipelineBuilder("p")
            .Task("a", "echo", t => t.After())
            .Task("b", "echo", t => t.After())
            .Task("c", "echo", t => t.After("b", "a"))
            .Task("d", "echo", t => t.After("a"))
            .Build());

        Assert.Equal([0, 1, 2, 3], graph.TopologicalOrder);
        Assert.Equal([[2, 3], [2], [], []], graph.Children);
    }

    [Fact]
    public void TopologicalOrder_Diamond_PutsEveryTaskAfterItsParents()
    {
        var graph = TaskGraph.Create(new PipelineBuilder("p")
            .Task("join", "echo", t => t.After("left", "right"))
            .Task("left", "echo", t => t.After("start"))
            .Task("right", "echo", t => t.After("start"))
            .Task("start", "echo", t => t.After())
            .Build());

        Assert.Equal([3, 1, 2, 0], graph.TopologicalOrder);
    }

    [Fact]
    public void Descendants_Task_AreEveryTaskReachableInIndexOrder()
    {
        var graph = TaskGraph.Create(new PipelineBuilder("p")
            .Task("a", "echo", t => t.After())
            .Task("d", "echo", t => t.After("b"))
            .Task("b", "echo", t => t.After("a"))
            .Task("c", "echo", t => t.After("a"))
            .Task("e", "echo", t => t.After())
            .Task("f", "echo", t => t.After("c", "d"))
            .Build());

        Assert.Equal([1, 2, 3, 5], graph.Descendants(0));
        Assert.Equal([1, 5], graph.Descendants(2));
        Assert.Empty(graph.Descendants(4));
        Assert.Empty(graph.Descendants(5));
    }

    [Fact]
    public void IndexOf_KnownAndUnknownNames_GivesIndexOrThrows()
    {
        var graph = TaskGraph.Create(new PipelineBuilder("p").Task("a", "echo").Task("b", "echo").Build());

        Assert.Equal(1, graph.IndexOf("b"));
        Assert.True(graph.Contains("a"));
        Assert.False(graph.Contains("A"));
        Assert.Equal("unknown task 'c'", Assert.Throws<KeyNotFoundException>(() => graph.IndexOf("c")).Message);
    }

    [Fact]
    public void Create_DuplicateName_Throws()
    {
        var definition = new PipelineBuilder("p").Task("a", "echo").Task("a", "echo").Build();

        var ex = Assert.Throws<InvalidOperationException>(() => TaskGraph.Create(definition));

        Assert.Equal("duplicate task 'a'; validate the definition first", ex.Message);
    }

    [Fact]
    public void Create_Cycle_Throws()
    {
        var definition = new PipelineBuilder("p").Task("a", "echo", t => t.After("b")).Task("b", "echo", t => t.After("a")).Build();

        var ex = Assert.Throws<InvalidOperationException>(() => TaskGraph.Create(definition));

        Assert.Equal("the task graph has a cycle; validate the definition first", ex.Message);
    }

    [Fact]
    public void ResolveParents_UnknownAndRepeatedNames_AreSkipped()
    {
        var definition = new PipelineBuilder("p").Task("a", "echo").Task("b", "echo", t => t.After("a", "ghost", "a")).Build();

        var parents = TaskGraph.ResolveParents(definition, new Dictionary<string, int> { ["a"] = 0, ["b"] = 1 });

        Assert.Equal([[], [0]], parents);
    }

    [Fact]
    public void Create_SameDefinitionTwice_BuildsItsGraphOnce()
    {
        var definition = new PipelineBuilder("p").Task("a", "echo").Task("b", "echo", t => t.After("a")).Build();

        var first = TaskGraph.Create(definition);
        var second = TaskGraph.Create(definition);
        var changed = TaskGraph.Create(definition with { Tasks = [.. definition.Tasks.Take(1)] });

        Assert.Same(first, second);
        Assert.NotSame(first, changed);
        Assert.Equal(1, changed.Count);
    }
}
