namespace DurablePipelines.Validation;

/// <summary>The codes of <see cref="ValidationError"/>, stable for tools and tests.</summary>
public static class ValidationCodes
{
    /// <summary>The text is not JSON.</summary>
    public const string JsonSyntax = "json-syntax";
    /// <summary>A required member is missing.</summary>
    public const string Required = "required";
    /// <summary>A member has the wrong JSON type.</summary>
    public const string Type = "type";
    /// <summary>A member that the format does not define.</summary>
    public const string UnknownProperty = "unknown-property";
    /// <summary>A name that is empty or has characters a name may not have.</summary>
    public const string InvalidName = "invalid-name";
    /// <summary>Two tasks share a name.</summary>
    public const string DuplicateTask = "duplicate-task";
    /// <summary>A parent that is not a task of the pipeline.</summary>
    public const string UnknownParent = "unknown-parent";
    /// <summary>A task that lists itself, or one parent twice.</summary>
    public const string InvalidParent = "invalid-parent";
    /// <summary>The graph has a loop.</summary>
    public const string Cycle = "cycle";
    /// <summary>A handler that is not registered.</summary>
    public const string UnknownHandler = "unknown-handler";
    /// <summary>An iterator path that does not start at the input, the item or a parent.</summary>
    public const string IteratorPath = "iterator-path";
    /// <summary>A duration that cannot be read or is out of range.</summary>
    public const string Duration = "duration";
    /// <summary>A retry policy or concurrency value out of range.</summary>
    public const string Range = "range";
    /// <summary>Handler config that fails the handler's own schema.</summary>
    public const string Config = "config";
    /// <summary>A run id template that cannot be read.</summary>
    public const string Template = "template";
    /// <summary>The run input is not what the pipeline needs.</summary>
    public const string Input = "input";
    /// <summary>An object gives one key twice.</summary>
    public const string DuplicateKey = "duplicate-key";
    /// <summary>A value nests deeper than <see cref="Records.JsonLimits.MaxValueDepth"/>.</summary>
    public const string Depth = "depth";
    /// <summary>Text that is not valid UTF-8 or UTF-16 (an unpaired surrogate).</summary>
    public const string Encoding = "encoding";
    /// <summary>A body or message larger than its limit.</summary>
    public const string Size = "size";
}
