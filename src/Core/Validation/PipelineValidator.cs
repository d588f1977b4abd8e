using System.Text.RegularExpressions;
using DurablePipelines.Definitions;
using DurablePipelines.Graph;
using DurablePipelines.Handlers;
using DurablePipelines.Iterators;
using DurablePipelines.Orchestration;

namespace DurablePipelines.Validation;

/// <summary>
/// Checks a definition's meaning before anything runs and reports every error at once, each with its JSON
/// path and code: names, duplicate and unknown tasks and parents (with "did you mean"), cycles named as loops,
/// unknown handlers, iterator paths, durations, retry values and handler config against the handler's schema.
/// </summary>
public sealed partial class PipelineValidator(HandlerRegistry handlers)
{
    /// <summary>The most attempts a retry policy may ask for.</summary>
    public const int MaxAttempts = 100;

    /// <summary>Reads and validates JSON text; every structural and semantic error together.</summary>
    public (PipelineDefinition? Definition, IReadOnlyList<ValidationError> Errors) ReadAndValidate(string json)
    {
        var read = PipelineDefinitionReader.Read(json);
        if (read.Definition is null)
        {
            return (null, read.Errors);
        }

        // What the reader could not read is left empty or at its default, which the validator would refuse
        // again: an error at or below a path the reader already reported is the same problem.
        var errors = new List<ValidationError>(read.Errors);
        foreach (var error in Validate(read.Definition))
        {
            if (!read.Errors.Any(e => IsAtOrBelow(error.Path, e.Path)))
            {
                errors.Add(error);
            }
        }

        return (errors.Count == 0 ? read.Definition : null, errors);
    }

    /// <summary>Every semantic error of a definition; empty when it may run.</summary>
    public IReadOnlyList<ValidationError> Validate(PipelineDefinition definition)
    {
        ArgumentNullException.ThrowIfNull(definition);
        var errors = new List<ValidationError>();
        void Add(string path, string code, string message) => errors.Add(new ValidationError(path, code, message));

        if (string.IsNullOrEmpty(definition.Name))
        {
            Add("$.name", ValidationCodes.Required, "'name' is required");
        }
        else if (!NamePattern().IsMatch(definition.Name))
        {
            Add("$.name", ValidationCodes.InvalidName, $"'{definition.Name}' is not a valid name (letters, digits, '-', '_' and '.', starting with a letter or digit, at most 64)");
        }

        if (definition.Ttl is { } ttl && ttl <= TimeSpan.Zero)
        {
            Add("$.ttl", ValidationCodes.Duration, "'ttl' must be longer than zero");
        }

        if (definition.Execution is { } pipelineExecution && !Executions.All.Contains(pipelineExecution))
        {
            Add("$.execution", ValidationCodes.Range, UnknownExecution(pipelineExecution));
        }

        if (definition.Repair?.Timeout is { } repairTimeout && repairTimeout <= TimeSpan.Zero)
        {
            Add("$.repair.timeout", ValidationCodes.Duration, "'timeout' must be longer than zero");
        }

        if (definition.RunIdFrom is { } template)
        {
            foreach (var problem in RunIdTemplate.Check(template))
            {
                Add("$.runIdFrom", ValidationCodes.Template, problem);
            }
        }

        if (definition.Iterator is { } pipelineIterator)
        {
            CheckIterator(pipelineIterator, "$.iterator", null, [], definition, Add);
        }

        var tasks = definition.Tasks;
        if (tasks.Count == 0)
        {
            Add("$.tasks", ValidationCodes.Required, "a pipeline needs at least one task");
        }

        var firstIndex = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < tasks.Count; i++)
        {
            var name = tasks[i].Name;
            if (string.IsNullOrEmpty(name))
            {
                Add($"$.tasks[{i}].name", ValidationCodes.Required, "'name' is required");
            }
            else if (!NamePattern().IsMatch(name))
            {
                Add($"$.tasks[{i}].name", ValidationCodes.InvalidName, $"'{name}' is not a valid task name (letters, digits, '-', '_' and '.', starting with a letter or digit, at most 64)");
            }
            else if (!firstIndex.TryAdd(name, i))
            {
                Add($"$.tasks[{i}].name", ValidationCodes.DuplicateTask, $"duplicate task '{name}' (first defined at $.tasks[{firstIndex[name]}])");
            }
        }

        var parents = TaskGraph.ResolveParents(definition, firstIndex);
        for (var i = 0; i < tasks.Count; i++)
        {
            CheckTask(definition, i, firstIndex, parents[i], Add);
        }

        // A task listing itself is reported as invalid-parent; only loops through other tasks are named here.
        foreach (var cycle in CycleFinder.FindCycles(parents).Where(c => c.Count > 2))
        {
            var names = string.Join(" -> ", cycle.Select(t => tasks[t].Name));
            Add($"$.tasks[{cycle[0]}].parents", ValidationCodes.Cycle, $"cycle: {names}");
        }

        return errors;
    }

    private void CheckTask(PipelineDefinition definition, int i, Dictionary<string, int> index, int[] parents, Action<string, string, string> add)
    {
        var task = definition.Tasks[i];
        var path = $"$.tasks[{i}]";
        if (string.IsNullOrEmpty(task.Handler))
        {
            add($"{path}.handler", ValidationCodes.Required, "'handler' is required");
        }
        else if (!handlers.IsTask(task.Handler))
        {
            add($"{path}.handler", ValidationCodes.UnknownHandler, $"unknown handler '{task.Handler}'{NameSuggestions.DidYouMean(task.Handler, handlers.TaskNames)}");
        }
        else
        {
            // A handler's schema and its own range checks may both refuse one member: one error per member.
            foreach (var error in handlers.GetTask(task.Handler).ValidateConfig(task.Config).DistinctBy(e => e.Path))
            {
                add($"{path}.config{error.Path}", ValidationCodes.Config, error.Message);
            }
        }

        var declared = task.Parents ?? [];

        // Most tasks list a few parents: finding a repeat among them needs no set (one per task adds up on big graphs).
        var seen = declared.Count > 16 ? new HashSet<string>(StringComparer.Ordinal) : null;
        for (var p = 0; p < declared.Count; p++)
        {
            var parent = declared[p];
            if (parent == task.Name)
            {
                add($"{path}.parents[{p}]", ValidationCodes.InvalidParent, $"task '{task.Name}' cannot be its own parent");
            }
            else if (!index.ContainsKey(parent))
            {
                add($"{path}.parents[{p}]", ValidationCodes.UnknownParent, $"unknown task '{parent}'{NameSuggestions.DidYouMean(parent, index.Keys)}");
            }
            else if (seen is not null ? !seen.Add(parent) : ListedBefore(declared, p))
            {
                add($"{path}.parents[{p}]", ValidationCodes.InvalidParent, $"parent '{parent}' is listed twice");
            }
        }

        if (task.MaxConcurrency is < 1)
        {
            add($"{path}.maxConcurrency", ValidationCodes.Range, "'maxConcurrency' must be at least 1");
        }

        if (task.Timeout is { } timeout && timeout <= TimeSpan.Zero)
        {
            add($"{path}.timeout", ValidationCodes.Duration, "'timeout' must be longer than zero");
        }

        if (task.Retry is { } retry)
        {
            if (retry.Attempts is < 1 or > MaxAttempts)
            {
                add($"{path}.retry.attempts", ValidationCodes.Range, $"'attempts' must be between 1 and {MaxAttempts}");
            }

            if (retry.Backoff < 1.0 || !double.IsFinite(retry.Backoff))
            {
                add($"{path}.retry.backoff", ValidationCodes.Range, "'backoff' must be a number of at least 1");
            }

            if (retry.MaxDelay is { } max && max < retry.Delay)
            {
                add($"{path}.retry.maxDelay", ValidationCodes.Range, "'maxDelay' must not be shorter than 'delay'");
            }
        }

        if (task.Execution is { } execution && !Executions.All.Contains(execution))
        {
            add($"{path}.execution", ValidationCodes.Range, UnknownExecution(execution));
        }

        if (task.Handler == WaitForEvent.HandlerName && (task.Execution ?? task.Using) is not null)
        {
            add($"{path}.{(task.Execution is null ? "using" : "execution")}", ValidationCodes.Range, "a 'wait' task runs no handler: it waits in the orchestration, so 'execution' and 'using' do not apply");
        }

        if (task.Using is { } runner)
        {
            if (task.Execution is not null)
            {
                add($"{path}.using", ValidationCodes.Range, "give 'execution' or 'using', not both: the task runner 'using' names decides how the results execute");
            }
            else if (!handlers.IsTaskRunner(runner))
            {
                add($"{path}.using", ValidationCodes.UnknownHandler, $"unknown task runner '{runner}'{NameSuggestions.DidYouMean(runner, handlers.TaskRunnerNames)}");
            }
        }

        if (task.Repair is { } repair)
        {
            if (task.Handler == WaitForEvent.HandlerName)
            {
                add($"{path}.repair", ValidationCodes.Range, "'repair' does not apply to a 'wait' task: its timeout already says what happens when no event comes (\"onTimeout\")");
            }

            if (repair.Timeout is { } repairTimeout && repairTimeout <= TimeSpan.Zero)
            {
                add($"{path}.repair.timeout", ValidationCodes.Duration, "'timeout' must be longer than zero");
            }
        }

        if (task.ToleratedFailures is { } tolerated)
        {
            CheckToleratedFailures(tolerated, task.Iterator is not null, $"{path}.toleratedFailures", add);
        }

        if (task.Iterator is { } iterator)
        {
            var parentNames = parents.Select(p => definition.Tasks[p].Name).ToHashSet(StringComparer.Ordinal);
            CheckIterator(iterator, $"{path}.iterator", task.Name, parentNames, definition, add);
        }
    }

    private static string UnknownExecution(string execution) =>
        $"unknown execution '{execution}'{NameSuggestions.DidYouMean(execution, Executions.All)}: one of {string.Join(", ", Executions.All)}";

    private static void CheckToleratedFailures(ToleratedFailures tolerated, bool iterated, string path, Action<string, string, string> add)
    {
        if (!iterated)
        {
            add(path, ValidationCodes.Range, "'toleratedFailures' applies to the results of a task iterator: this task has no 'iterator'");
        }

        if (tolerated.Count is null && tolerated.Percentage is null)
        {
            add(path, ValidationCodes.Required, "'toleratedFailures' needs 'count', 'percentage' or both");
        }

        if (tolerated.Count is < 0)
        {
            add($"{path}.count", ValidationCodes.Range, "'count' must be at least 0");
        }

        if (tolerated.Percentage is { } percentage && (percentage is < 0 or > 100 || !double.IsFinite(percentage)))
        {
            add($"{path}.percentage", ValidationCodes.Range, "'percentage' must be a number from 0 to 100");
        }
    }

    private void CheckIterator(IteratorDefinition iterator, string path, string? task, HashSet<string> parents, PipelineDefinition definition, Action<string, string, string> add)
    {
        if (iterator.Handler is { } handler)
        {
            if (!handlers.IsIteratorSource(handler))
            {
                add($"{path}.handler", ValidationCodes.UnknownHandler, $"unknown iterator source '{handler}'{NameSuggestions.DidYouMean(handler, handlers.IteratorSourceNames)}");
                return;
            }

            foreach (var error in handlers.GetIteratorSource(handler).ValidateConfig(iterator.Config).DistinctBy(e => e.Path))
            {
                add($"{path}.config{error.Path}", ValidationCodes.Config, error.Message);
            }

            return;
        }

        if (!IteratorPath.TryParse(iterator.Path ?? string.Empty, out var parsed, out var problem))
        {
            add(path, ValidationCodes.IteratorPath, $"bad iterator: {problem}");
            return;
        }

        switch (parsed!.Root)
        {
            case IteratorRoot.Item when task is null:
                add(path, ValidationCodes.IteratorPath, $"the pipeline iterator '{parsed.Text}' can only read the run input ('input…')");
                break;
            case IteratorRoot.Parent when task is null:
                add(path, ValidationCodes.IteratorPath, $"the pipeline iterator '{parsed.Text}' can only read the run input ('input…')");
                break;
            case IteratorRoot.Item when definition.Iterator is null:
                add(path, ValidationCodes.IteratorPath, $"iterator '{parsed.Text}' reads the pipeline item, but the pipeline has no iterator");
                break;
            case IteratorRoot.Parent when !parents.Contains(parsed.Parent!):
                add(path, ValidationCodes.IteratorPath, $"iterator '{parsed.Text}' reads '{parsed.Parent}', which is not a parent of '{task}'");
                break;
        }
    }

    private static bool ListedBefore(IReadOnlyList<string> names, int index)
    {
        for (var i = 0; i < index; i++)
        {
            if (string.Equals(names[i], names[index], StringComparison.Ordinal))
            {
                return true;
            }
        }

        return false;
    }

    private static bool IsAtOrBelow(string path, string ancestor) =>
        path.StartsWith(ancestor, StringComparison.Ordinal)
        && (path.Length == ancestor.Length || path[ancestor.Length] is '.' or '[');

    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$", RegexOptions.CultureInvariant)]
    private static partial Regex NamePattern();
}
