namespace DurablePipelines.Graph;

/// <summary>Finds the loops of a directed graph so validation can name each one (<c>a -> c -> a</c>).</summary>
public static class CycleFinder
{
    /// <summary>
    /// One loop per strongly connected component that has one, as the list of node indexes walked from
    /// the component's first node (in index order) back to itself. A single node is a loop only when it is its own
    /// parent (<c>[a, a]</c>); a larger component's loop goes through other nodes even when one is also its own parent.
    /// Iterative, so deep graphs cannot overflow the stack.
    /// </summary>
    public static IReadOnlyList<IReadOnlyList<int>> FindCycles(IReadOnlyList<int[]> parents)
    {
        ArgumentNullException.ThrowIfNull(parents);

        // Almost every graph validated has no loop: proving that takes one linear pass over flat arrays, where
        // naming loops needs a component per node.
        if (IsAcyclic(parents))
        {
            return [];
        }

        var count = parents.Count;
        var children = new List<int>[count];
        for (var i = 0; i < count; i++)
        {
            children[i] = [];
        }

        for (var i = 0; i < count; i++)
        {
            foreach (var p in parents[i])
            {
                children[p].Add(i);
            }
        }

        var components = StronglyConnected(children);
        var cycles = new List<IReadOnlyList<int>>();
        foreach (var component in components.OrderBy(c => c.Min()))
        {
            var start = component.Min();
            if (component.Count == 1)
            {
                if (children[start].Contains(start))
                {
                    cycles.Add([start, start]);
                }

                continue;
            }

            cycles.Add(WalkBack(start, children, [.. component]));
        }

        return cycles;
    }

    /// <summary>Kahn's algorithm without the order: true when every node can be removed after its parents.</summary>
    private static bool IsAcyclic(IReadOnlyList<int[]> parents)
    {
        var count = parents.Count;
        var remaining = new int[count];
        var childCount = new int[count + 1];
        for (var i = 0; i < count; i++)
        {
            remaining[i] = parents[i].Length;
            foreach (var p in parents[i])
            {
                childCount[p + 1]++;
            }
        }

        // Children of node i are children[start[i]..start[i + 1]].
        var start = childCount;
        for (var i = 0; i < count; i++)
        {
            start[i + 1] += start[i];
        }

        var children = new int[start[count]];
        var fill = new int[count];
        for (var i = 0; i < count; i++)
        {
            foreach (var p in parents[i])
            {
                children[start[p] + fill[p]++] = i;
            }
        }

        var ready = new int[count];
        var head = 0;
        var tail = 0;
        for (var i = 0; i < count; i++)
        {
            if (remaining[i] == 0)
            {
                ready[tail++] = i;
            }
        }

        while (head < tail)
        {
            var node = ready[head++];
            for (var k = start[node]; k < start[node + 1]; k++)
            {
                if (--remaining[children[k]] == 0)
                {
                    ready[tail++] = children[k];
                }
            }
        }

        return tail == count;
    }

    private static List<int> WalkBack(int start, List<int>[] children, HashSet<int> component)
    {
        // Breadth-first search inside the component for the shortest way from start back to start.
        var previous = new Dictionary<int, int>();
        var queue = new Queue<int>();
        queue.Enqueue(start);
        while (queue.Count > 0)
        {
            var node = queue.Dequeue();
            foreach (var next in children[node].Order())
            {
                if (next == node || !component.Contains(next))
                {
                    continue;
                }

                if (next == start)
                {
                    var path = new List<int> { start };
                    for (var at = node; at != start; at = previous[at])
                    {
                        path.Add(at);
                    }

                    path.Add(start);
                    path.Reverse(1, path.Count - 2);
                    return path;
                }

                if (previous.TryAdd(next, node))
                {
                    queue.Enqueue(next);
                }
            }
        }

        throw new InvalidOperationException("a strongly connected component without a loop");
    }

    private static List<List<int>> StronglyConnected(List<int>[] children)
    {
        // Tarjan's algorithm, iterative.
        var count = children.Length;
        var index = new int[count];
        var low = new int[count];
        var onStack = new bool[count];
        Array.Fill(index, -1);
        var stack = new Stack<int>();
        var result = new List<List<int>>();
        var next = 0;
        var work = new Stack<(int Node, int Child)>();
        for (var root = 0; root < count; root++)
        {
            if (index[root] != -1)
            {
                continue;
            }

            work.Push((root, 0));
            while (work.Count > 0)
            {
                var (v, ci) = work.Pop();
                if (ci == 0)
                {
                    index[v] = low[v] = next++;
                    stack.Push(v);
                    onStack[v] = true;
                }

                var descended = false;
                for (var k = ci; k < children[v].Count; k++)
                {
                    var w = children[v][k];
                    if (index[w] == -1)
                    {
                        work.Push((v, k + 1));
                        work.Push((w, 0));
                        descended = true;
                        break;
                    }

                    if (onStack[w])
                    {
                        low[v] = Math.Min(low[v], index[w]);
                    }
                }

                if (descended)
                {
                    continue;
                }

                if (low[v] == index[v])
                {
                    var component = new List<int>();
                    int w;
                    do
                    {
                        w = stack.Pop();
                        onStack[w] = false;
                        component.Add(w);
                    }
                    while (w != v);
                    result.Add(component);
                }

                if (work.Count > 0)
                {
                    var parent = work.Peek().Node;
                    low[parent] = Math.Min(low[parent], low[v]);
                }
            }
        }

        return result;
    }
}
