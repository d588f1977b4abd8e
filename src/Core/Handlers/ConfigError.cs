namespace DurablePipelines.Handlers;

/// <summary>A config problem found by a handler's schema.</summary>
/// <param name="Path">Path relative to the config object, such as <c>.times</c>; empty for the object itself.</param>
/// <param name="Message">What is wrong, for people.</param>
public sealed record ConfigError(string Path, string Message);
