using DurablePipelines.Graph;

namespace DurablePipelines.Tests.Graph;

public class CycleFinderTests
{
    [Fact]
    public void FindCycles_Dag_FindsNone()
    {
        int[][] parents = [[], [0], [0], [1, 2]];

        Assert.Empty(CycleFinder.FindCycles(parents));
    }

    [Fact]
    public void FindCycles_TwoNodeLoop_WalksFromTheLowestIndex()
    {
        int[][] parents = [[2], [], [0]];

        Assert.Equal([[0, 2, 0]], CycleFinder.FindCycles(parents));
    }

    [Fact]
    public void FindCycles_ThreeNodeLoop_FollowsChildren()
    {
        int[][] parents = [[2], [0], [1]];

        Assert.Equal([[0, 1, 2, 0]], CycleFinder.FindCycles(parents));
    }

    [Fact]
    public void FindCycles_SelfLoop_IsANodeBackToItself()
    {
        int[][] parents = [[], [1]];

        Assert.Equal([[1, 1]], CycleFinder.FindCycles(parents));
    }

    [Fact]
    public void FindCycles_SelfLoopInsideALargerLoop_NamesTheLargerLoop()
    {
        int[][] parents = [[0, 1], [0]];

        Assert.Equal([[0, 1, 0]], CycleFinder.FindCycles(parents));
    }

    [Fact]
    public void FindCycles_TwoSeparateLoops_FindsOneEachInIndexOrder()
    {
        int[][] parents = [[3], [2], [1], [0], [3]];

        Assert.Equal([[0, 3, 0], [1, 2, 1]], CycleFinder.FindCycles(parents));
    }

    [Fact]
    public void FindCycles_LoopWithShortcut_GivesTheShortestWayBack()
    {
        // 0 -> 1 -> 2 -> 3 -> 0, and 0 -> 2 as a shortcut.
        int[][] parents = [[3], [0], [1, 0], [2]];

        Assert.Equal([[0, 2, 3, 0]], CycleFinder.FindCycles(parents));
    }

    [Fact]
    public void FindCycles_LoopBelowAWideDag_IsFound()
    {
        // 0 -> 1..3 -> 4, and 4 <-> 5: everything above the loop is acyclic.
        int[][] parents = [[], [0], [0], [0], [1, 2, 3, 5], [4]];

        Assert.Equal([[4, 5, 4]], CycleFinder.FindCycles(parents));
    }

    [Fact]
    public void FindCycles_VeryLongChain_DoesNotOverflowTheStack()
    {
        const int count = 100_000;
        var parents = new int[count][];
        parents[0] = [count - 1];
        for (var i = 1; i < count; i++)
        {
            parents[i] = [i - 1];
        }

        var cycle = Assert.Single(CycleFinder.FindCycles(parents));

        Assert.Equal(count + 1, cycle.Count);
        Assert.Equal(0, cycle[0]);
        Assert.Equal(count - 1, cycle[^2]);
    }
}
