namespace DurablePipelines.Iterators;

/// <summary>Where an iterator path starts.</summary>
public enum IteratorRoot
{
    /// <summary>The run input.</summary>
    Input,

    /// <summary>The pipeline-iterator item.</summary>
    Item,

    /// <summary>A parent's output.</summary>
    Parent,
}
