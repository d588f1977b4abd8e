using System.Runtime.CompilerServices;
using DurablePipelines.Definitions;

namespace DurablePipelines.Graph;

/// <summary>
/// The DAG of a pipeline's tasks, by index in definition order. When no task declares parents, each task
/// depends on the one before it (rule 5 in docs/rules.md); otherwise a task without parents is a root.
/// </summary>
public sealed class TaskGraph
{
    private static readonly ConditionalWeakTable<PipelineDefinition, TaskGraph> s_built = new();

    private readonly Dictionary<string, int> _indexByName;

    private TaskGraph(IReadOnlyList<TaskDefinition> tasks, int[][] parents, Dictionary<string, int> indexByName)
    {
        Tasks = tasks;
        Parents = parents;
        _indexByName = indexByName;
        // Counted first, so each task's children go straight into an array of the right size, in index order.
        var childCount = new int[tasks.Count];
        for (var i = 0; i < tasks.Count; i++)
        {
            foreach (var p in parents[i])
            {
                childCount[p]++;
            }
        }

        var children = new int[tasks.Count][];
        for (var i = 0; i < tasks.Count; i++)
        {
            children[i] = childCount[i] == 0 ? [] : new int[childCount[i]];
            childCount[i] = 0;
        }

        for (var i = 0; i < tasks.Count; i++)
        {
            foreach (var p in parents[i])
            {
                children[p][childCount[p]++] = i;
            }
        }

        Children = children;
        TopologicalOrder = Sort(parents, Children) ?? throw new InvalidOperationException("the task graph has a cycle; validate the definition first");
    }

    /// <summary>The tasks in definition order.</summary>
    public IReadOnlyList<TaskDefinition> Tasks { get; }

    /// <summary>Parents of each task, by index, in definition order.</summary>
    public IReadOnlyList<int[]> Parents { get; }

    /// <summary>Children of each task, by index, in definition order.</summary>
    public IReadOnlyList<int[]> Children { get; }

    /// <summary>Every task, each after all of its parents; ties keep definition order.</summary>
    public IReadOnlyList<int> TopologicalOrder { get; }

    /// <summary>The number of tasks.</summary>
    public int Count => Tasks.Count;

    /// <summary>
    /// The graph of a valid definition. A definition is immutable, so its graph is built once per definition
    /// instance and shared: every run of a registered pipeline, and every item of a pipeline iterator, walks the
    /// same one (building it for a 100,000-task pipeline took a tenth of that run's time).
    /// </summary>
    public static TaskGraph Create(PipelineDefinition definition)
    {
        ArgumentNullException.ThrowIfNull(definition);
        return s_built.GetValue(definition, static d => Build(d));
    }

    private static TaskGraph Build(PipelineDefinition definition)
    {
        var tasks = definition.Tasks;
        var indexByName = new Dictionary<string, int>(tasks.Count, StringComparer.Ordinal);
        for (var i = 0; i < tasks.Count; i++)
        {
            if (!indexByName.TryAdd(tasks[i].Name, i))
            {
                throw new InvalidOperationException($"duplicate task '{tasks[i].Name}'; validate the definition first");
            }
        }

        return new TaskGraph(tasks, ResolveParents(definition, indexByName), indexByName);
    }

    /// <summary>
    /// Parent indexes of every task: declared parents, or the previous task when the pipeline is a
    /// sequence. Unknown names are skipped (the validator reports them).
    /// </summary>
    public static int[][] ResolveParents(PipelineDefinition definition, IReadOnlyDictionary<string, int> indexByName)
    {
        var tasks = definition.Tasks;
        var parents = new int[tasks.Count][];
        var isGraph = definition.IsGraph;
        for (var i = 0; i < tasks.Count; i++)
        {
            if (!isGraph)
            {
                parents[i] = i == 0 ? [] : [i - 1];
                continue;
            }

            // Straight into an array of the declared size, cut short only when a name is unknown or repeated.
            var declared = tasks[i].Parents ?? [];
            var resolved = declared.Count == 0 ? [] : new int[declared.Count];
            var n = 0;
            foreach (var name in declared)
            {
                if (indexByName.TryGetValue(name, out var p) && Array.IndexOf(resolved, p, 0, n) < 0)
                {
                    resolved[n++] = p;
                }
            }

            parents[i] = n == resolved.Length ? resolved : resolved[..n];
        }

        return parents;
    }

    /// <summary>The index of a task by name.</summary>
    internal int IndexOf(string name) =>
        _indexByName.TryGetValue(name, out var i) ? i : throw new KeyNotFoundException($"unknown task '{name}'");

    /// <summary>True when <paramref name="name"/> is a task of this graph.</summary>
    internal bool Contains(string name) => _indexByName.ContainsKey(name);

    /// <summary>Every task reachable from <paramref name="task"/> through children, in index order.</summary>
    internal IReadOnlyList<int> Descendants(int task)
    {
        var seen = new bool[Count];
        var stack = new Stack<int>(Children[task]);
        while (stack.Count > 0)
        {
            var t = stack.Pop();
            if (seen[t])
            {
                continue;
            }

            seen[t] = true;
            foreach (var c in Children[t])
            {
                stack.Push(c);
            }
        }

        return [.. Enumerable.Range(0, Count).Where(i => seen[i])];
    }

    /// <summary>Kahn's algorithm with a min-heap so ties keep definition order; null when there is a cycle.</summary>
    internal static int[]? Sort(IReadOnlyList<int[]> parents, IReadOnlyList<int[]> children)
    {
        var count = parents.Count;

        // When every task is listed after its parents (how most pipelines are written), the smallest ready index
        // is always the next one: the order is the definition order, with no heap.
        if (ListedAfterParents(parents))
        {
            var identity = new int[count];
            for (var i = 0; i < count; i++)
            {
                identity[i] = i;
            }

            return identity;
        }

        var remaining = new int[count];
        var ready = new PriorityQueue<int, int>();
        for (var i = 0; i < count; i++)
        {
            remaining[i] = parents[i].Length;
            if (remaining[i] == 0)
            {
                ready.Enqueue(i, i);
            }
        }

        var order = new int[count];
        var n = 0;
        while (ready.TryDequeue(out var t, out _))
        {
            order[n++] = t;
            foreach (var c in children[t])
            {
                if (--remaining[c] == 0)
                {
                    ready.Enqueue(c, c);
                }
            }
        }

        return n == count ? order : null;
    }

    private static bool ListedAfterParents(IReadOnlyList<int[]> parents)
    {
        for (var i = 0; i < parents.Count; i++)
        {
            foreach (var p in parents[i])
            {
                if (p >= i)
                {
                    return false;
                }
            }
        }

        return true;
    }
}
