namespace DurablePipelines.Handlers;

/// <summary>A handler type registered under a name; added by <c>AddPipelineTask</c>.</summary>
/// <param name="Name">The name definitions use in <c>handler</c>.</param>
/// <param name="Type">A type implementing <see cref="IPipelineTask"/>, <see cref="IIteratorSource"/> or both, or <see cref="ITaskRunner"/>.</param>
public sealed record HandlerRegistration(string Name, Type Type);
