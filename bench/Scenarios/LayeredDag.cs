using DurablePipelines.Definitions;

namespace DurablePipelines.Bench.Scenarios;

/// <summary>
/// A generated layered DAG: <c>layers</c> x <c>width</c> tasks; every task after the first layer has
/// <c>parentsPerTask</c> distinct random parents in the layer before (fixed seed), and the first
/// <c>extraEdges</c> tasks from the third layer on get one more parent two layers back.
/// Task i is listed after all its parents, so definition order is a topological order.
/// </summary>
internal sealed class LayeredDag
{
    private LayeredDag(int[][] parents, int width)
    {
        Parents = parents;
        Width = width;
    }

    /// <summary>Parent indexes of each task.</summary>
    public int[][] Parents { get; }

    public int Width { get; }

    public int Count => Parents.Length;

    public int Edges => Parents.Sum(p => p.Length);

    public static LayeredDag Create(int layers, int width, int parentsPerTask, int extraEdges, int seed = 5)
    {
        var random = new Random(seed);
        var parents = new int[layers * width][];
        var extra = extraEdges;
        for (var layer = 0; layer < layers; layer++)
        {
            for (var i = 0; i < width; i++)
            {
                var task = (layer * width) + i;
                if (layer == 0)
                {
                    parents[task] = [];
                    continue;
                }

                var chosen = new HashSet<int>();
                while (chosen.Count < Math.Min(parentsPerTask, width))
                {
                    chosen.Add(((layer - 1) * width) + random.Next(width));
                }

                if (layer >= 2 && extra > 0)
                {
                    chosen.Add(((layer - 2) * width) + random.Next(width));
                    extra--;
                }

                parents[task] = [.. chosen.Order()];
            }
        }

        return new LayeredDag(parents, width);
    }

    public static string TaskName(int index) => $"t{index}";

    /// <summary>The DAG as a pipeline whose every task runs <paramref name="handler"/> once.</summary>
    public PipelineDefinition ToDefinition(string name, string handler) => new()
    {
        Name = name,
        Tasks = [.. Parents.Select((p, i) => new TaskDefinition
        {
            Name = TaskName(i),
            Handler = handler,

            // Every task of a graph declares its parents, the roots an empty list, so rule 5's sequence never applies.
            Parents = [.. p.Select(TaskName)],
        })],
    };

    /// <summary>Children of each task, from the parents.</summary>
    public int[][] Children()
    {
        var children = new List<int>[Count];
        for (var i = 0; i < Count; i++)
        {
            children[i] = [];
        }

        for (var i = 0; i < Count; i++)
        {
            foreach (var p in Parents[i])
            {
                children[p].Add(i);
            }
        }

        return [.. children.Select(c => c.ToArray())];
    }
}
