using System.Text.Json.Nodes;
using DurablePipelines.Definitions;
using DurablePipelines.Tests.Definitions;
using DurablePipelines.Validation;

namespace DurablePipelines.Tests.Validation;

public class PipelineValidatorTests
{
    private const string NameRule = "(letters, digits, '-', '_' and '.', starting with a letter or digit, at most 64)";

    private static readonly PipelineValidator s_validator = TestValidator.Create();

    [Fact]
    public void ReadAndValidate_MisspeltParent_MatchesTheStyleGuideExample()
    {
        var json = Pipeline("""
            { "name": "extract", "handler": "echo" },
            { "name": "transform", "handler": "echo", "parents": ["extract"] },
            { "name": "load", "handler": "echo", "parents": ["extrct"] }
            """);

        var (definition, errors) = s_validator.ReadAndValidate(json);

        Assert.Null(definition);
        var error = Assert.Single(errors);
        Assert.Equal("unknown-parent", error.Code);
        Assert.Equal("$.tasks[2].parents[0]: unknown task 'extrct' (did you mean 'extract'?)", error.ToString());
    }

    [Fact]
    public void ReadAndValidate_UnknownParentFarFromEveryName_HasNoHint()
    {
        var errors = Errors(Pipeline("""{ "name": "a", "handler": "echo" }, { "name": "b", "handler": "echo", "parents": ["warehouse"] }"""));

        Assert.Equal([new ValidationError("$.tasks[1].parents[0]", "unknown-parent", "unknown task 'warehouse'")], errors);
    }

    [Theory]
    [MemberData(nameof(DefinitionSamples.Valid), MemberType = typeof(DefinitionSamples))]
    public void ReadAndValidate_ValidSample_GivesTheDefinition(string sample)
    {
        var (definition, errors) = s_validator.ReadAndValidate(DefinitionSamples.Get(sample));

        Assert.Empty(errors);
        Assert.NotNull(definition);
    }

    [Theory]
    [InlineData("bad name!")]
    [InlineData("-leading-dash")]
    [InlineData("a23456789012345678901234567890123456789012345678901234567890abcde")]
    public void Validate_InvalidPipelineName_ReportsInvalidName(string name)
    {
        var errors = s_validator.Validate(new PipelineBuilder(name).Task("a", "echo").Build());

        Assert.Equal([new ValidationError("$.name", "invalid-name", $"'{name}' is not a valid name {NameRule}")], errors);
    }

    [Fact]
    public void Validate_LongestValidName_IsAccepted()
    {
        var name = new string('a', 64);

        Assert.Empty(s_validator.Validate(new PipelineBuilder(name).Task(name, "echo").Build()));
    }

    [Fact]
    public void Validate_InvalidTaskName_ReportsInvalidName()
    {
        var errors = s_validator.Validate(new PipelineBuilder("p").Task("ok", "echo").Task("not ok", "echo").Build());

        Assert.Equal([new ValidationError("$.tasks[1].name", "invalid-name", $"'not ok' is not a valid task name {NameRule}")], errors);
    }

    [Fact]
    public void Validate_EmptyNamesAndNoTasks_ReportsRequired()
    {
        var errors = s_validator.Validate(new PipelineDefinition { Name = string.Empty, Tasks = [] });

        Assert.Equal(
            [
                new ValidationError("$.name", "required", "'name' is required"),
                new ValidationError("$.tasks", "required", "a pipeline needs at least one task"),
            ],
            errors);
    }

    [Fact]
    public void Validate_TaskWithoutNameOrHandler_ReportsRequired()
    {
        var errors = s_validator.Validate(new PipelineDefinition { Name = "p", Tasks = [new TaskDefinition { Name = string.Empty, Handler = string.Empty }] });

        Assert.Equal(
            [
                new ValidationError("$.tasks[0].name", "required", "'name' is required"),
                new ValidationError("$.tasks[0].handler", "required", "'handler' is required"),
            ],
            errors);
    }

    [Fact]
    public void ReadAndValidate_DuplicateTask_NamesTheFirstDefinition()
    {
        var errors = Errors(Pipeline("""
            { "name": "a", "handler": "echo" },
            { "name": "b", "handler": "echo" },
            { "name": "a", "handler": "echo" }
            """));

        Assert.Equal([new ValidationError("$.tasks[2].name", "duplicate-task", "duplicate task 'a' (first defined at $.tasks[0])")], errors);
    }

    [Fact]
    public void ReadAndValidate_ParentListedTwiceAmongManyParents_ReportsEachRepeat()
    {
        var roots = string.Join(", ", Enumerable.Range(0, 20).Select(i => $$"""{ "name": "r{{i}}", "handler": "echo" }"""));
        var parents = string.Join(", ", Enumerable.Range(0, 20).Select(i => $"\"r{i}\"")) + ", \"r3\", \"r19\"";
        var errors = Errors(Pipeline($$"""{{roots}}, { "name": "join", "handler": "echo", "parents": [{{parents}}] }"""));

        Assert.Equal(
            [
                new ValidationError("$.tasks[20].parents[20]", "invalid-parent", "parent 'r3' is listed twice"),
                new ValidationError("$.tasks[20].parents[21]", "invalid-parent", "parent 'r19' is listed twice"),
            ],
            errors);
    }

    [Fact]
    public void ReadAndValidate_TaskIsItsOwnParent_ReportsInvalidParentOnly()
    {
        var errors = Errors(Pipeline("""{ "name": "a", "handler": "echo", "parents": ["a"] }"""));

        Assert.Equal([new ValidationError("$.tasks[0].parents[0]", "invalid-parent", "task 'a' cannot be its own parent")], errors);
    }

    [Fact]
    public void ReadAndValidate_ParentListedTwice_ReportsInvalidParent()
    {
        var errors = Errors(Pipeline("""{ "name": "a", "handler": "echo" }, { "name": "b", "handler": "echo", "parents": ["a", "a"] }"""));

        Assert.Equal([new ValidationError("$.tasks[1].parents[1]", "invalid-parent", "parent 'a' is listed twice")], errors);
    }

    [Fact]
    public void ReadAndValidate_TwoTaskCycle_NamesTheLoop()
    {
        var errors = Errors(Pipeline("""
            { "name": "a", "handler": "echo", "parents": ["c"] },
            { "name": "b", "handler": "echo", "parents": [] },
            { "name": "c", "handler": "echo", "parents": ["a"] }
            """));

        Assert.Equal([new ValidationError("$.tasks[0].parents", "cycle", "cycle: a -> c -> a")], errors);
    }

    [Fact]
    public void ReadAndValidate_ThreeTaskCycle_NamesTheLoopInOrder()
    {
        var errors = Errors(Pipeline("""
            { "name": "a", "handler": "echo", "parents": ["c"] },
            { "name": "b", "handler": "echo", "parents": ["a"] },
            { "name": "c", "handler": "echo", "parents": ["b"] },
            { "name": "d", "handler": "echo", "parents": ["c"] }
            """));

        Assert.Equal([new ValidationError("$.tasks[0].parents", "cycle", "cycle: a -> b -> c -> a")], errors);
    }

    [Fact]
    public void ReadAndValidate_TwoSeparateCycles_ReportsBoth()
    {
        var errors = Errors(Pipeline("""
            { "name": "a", "handler": "echo", "parents": ["b"] },
            { "name": "b", "handler": "echo", "parents": ["a"] },
            { "name": "c", "handler": "echo", "parents": ["d"] },
            { "name": "d", "handler": "echo", "parents": ["c"] }
            """));

        Assert.Equal(
            [
                new ValidationError("$.tasks[0].parents", "cycle", "cycle: a -> b -> a"),
                new ValidationError("$.tasks[2].parents", "cycle", "cycle: c -> d -> c"),
            ],
            errors);
    }

    [Fact]
    public void ReadAndValidate_OwnParentInsideALoop_ReportsBothTheParentAndTheLoop()
    {
        var errors = Errors(Pipeline("""
            { "name": "a", "handler": "echo", "parents": ["a", "c"] },
            { "name": "c", "handler": "echo", "parents": ["a"] }
            """));

        Assert.Equal(
            [
                new ValidationError("$.tasks[0].parents[0]", "invalid-parent", "task 'a' cannot be its own parent"),
                new ValidationError("$.tasks[0].parents", "cycle", "cycle: a -> c -> a"),
            ],
            errors);
    }

    [Theory]
    [InlineData("ecko", "unknown handler 'ecko' (did you mean 'echo'?)")]
    [InlineData("Sleep", "unknown handler 'Sleep' (did you mean 'sleep'?)")]
    [InlineData("transmogrify", "unknown handler 'transmogrify'")]
    [InlineData("files", "unknown handler 'files'")]
    public void ReadAndValidate_UnknownHandler_ReportsItWithHint(string handler, string message)
    {
        var errors = Errors(Pipeline($$"""{ "name": "a", "handler": "{{handler}}" }"""));

        Assert.Equal([new ValidationError("$.tasks[0].handler", "unknown-handler", message)], errors);
    }

    [Fact]
    public void ReadAndValidate_UnknownIteratorSource_ReportsItWithHint()
    {
        var errors = Errors(Pipeline("""{ "name": "a", "handler": "echo", "iterator": { "handler": "filez" } }"""));

        Assert.Equal([new ValidationError("$.tasks[0].iterator.handler", "unknown-handler", "unknown iterator source 'filez' (did you mean 'files'?)")], errors);
    }

    [Fact]
    public void ReadAndValidate_IteratorSourceConfig_IsCheckedAgainstItsSchema()
    {
        var errors = Errors(Pipeline(
            """{ "name": "a", "handler": "echo", "iterator": { "handler": "files", "config": { "foldr": "/in" } } }""",
            """ "iterator": { "handler": "files" }, """));

        Assert.Equal(
            [
                new ValidationError("$.iterator.config.folder", "config", "'folder' is required (a folder path)"),
                new ValidationError("$.tasks[0].iterator.config.folder", "config", "'folder' is required (a folder path)"),
                new ValidationError("$.tasks[0].iterator.config.foldr", "config", "unknown member 'foldr' (did you mean 'folder'?)"),
            ],
            errors);
    }

    [Theory]
    [InlineData("input..rows", "bad iterator: 'input..rows' has an empty step at position 7")]
    [InlineData("input.rows[x]", "bad iterator: 'input.rows[x]' has a bad index at position 11")]
    [InlineData("rows", "bad iterator: 'rows' must start with 'input', 'item' or 'parents.<task>.output'")]
    [InlineData("parents.a", "bad iterator: 'parents.a' must read 'parents.<task>.output…'")]
    [InlineData("", "bad iterator: an iterator path cannot be empty")]
    public void ReadAndValidate_BadIteratorSyntax_ReportsIteratorPath(string iterator, string message)
    {
        var errors = Errors(Pipeline($$"""{ "name": "a", "handler": "echo" }, { "name": "b", "handler": "echo", "iterator": "{{iterator}}" }"""));

        Assert.Equal([new ValidationError("$.tasks[1].iterator", "iterator-path", message)], errors);
    }

    [Theory]
    [InlineData("item.regions")]
    [InlineData("parents.a.output")]
    public void ReadAndValidate_PipelineIteratorNotOnInput_ReportsIteratorPath(string iterator)
    {
        var errors = Errors(Pipeline("""{ "name": "a", "handler": "echo" }""", $$""" "iterator": "{{iterator}}", """));

        Assert.Equal([new ValidationError("$.iterator", "iterator-path", $"the pipeline iterator '{iterator}' can only read the run input ('input…')")], errors);
    }

    [Fact]
    public void ReadAndValidate_TaskIteratorReadsItemWithoutPipelineIterator_ReportsIteratorPath()
    {
        var errors = Errors(Pipeline("""{ "name": "a", "handler": "echo", "iterator": "item.files" }"""));

        Assert.Equal([new ValidationError("$.tasks[0].iterator", "iterator-path", "iterator 'item.files' reads the pipeline item, but the pipeline has no iterator")], errors);
    }

    [Fact]
    public void ReadAndValidate_TaskIteratorReadsItemWithPipelineIterator_IsAccepted()
    {
        var errors = Errors(Pipeline("""{ "name": "a", "handler": "echo", "iterator": "item.files" }""", """ "iterator": "input.regions", """));

        Assert.Empty(errors);
    }

    [Fact]
    public void ReadAndValidate_TaskIteratorReadsNonParent_ReportsIteratorPath()
    {
        var errors = Errors(Pipeline("""
            { "name": "a", "handler": "echo" },
            { "name": "b", "handler": "echo", "parents": ["a"] },
            { "name": "c", "handler": "echo", "parents": ["a"], "iterator": "parents.b.output.list" }
            """));

        Assert.Equal([new ValidationError("$.tasks[2].iterator", "iterator-path", "iterator 'parents.b.output.list' reads 'b', which is not a parent of 'c'")], errors);
    }

    [Fact]
    public void ReadAndValidate_SequenceIterator_MayReadOnlyThePreviousTask()
    {
        var errors = Errors(Pipeline("""
            { "name": "a", "handler": "echo" },
            { "name": "b", "handler": "echo", "iterator": "parents.a.output.list" },
            { "name": "c", "handler": "echo", "iterator": "parents.a.output.list" }
            """));

        Assert.Equal([new ValidationError("$.tasks[2].iterator", "iterator-path", "iterator 'parents.a.output.list' reads 'a', which is not a parent of 'c'")], errors);
    }

    [Fact]
    public void ReadAndValidate_ZeroTtlAndTimeout_ReportsDuration()
    {
        var errors = Errors(Pipeline("""{ "name": "a", "handler": "echo", "timeout": "0s" }""", """ "ttl": "00:00:00", """));

        Assert.Equal(
            [
                new ValidationError("$.ttl", "duration", "'ttl' must be longer than zero"),
                new ValidationError("$.tasks[0].timeout", "duration", "'timeout' must be longer than zero"),
            ],
            errors);
    }

    [Fact]
    public void ReadAndValidate_MaxConcurrencyBelowOne_ReportsRange()
    {
        var errors = Errors(Pipeline("""{ "name": "a", "handler": "echo", "maxConcurrency": 0 }"""));

        Assert.Equal([new ValidationError("$.tasks[0].maxConcurrency", "range", "'maxConcurrency' must be at least 1")], errors);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    [InlineData(101)]
    public void ReadAndValidate_AttemptsOutOfRange_ReportsRange(int attempts)
    {
        var errors = Errors(Pipeline($$"""{ "name": "a", "handler": "echo", "retry": { "attempts": {{attempts}} } }"""));

        Assert.Equal([new ValidationError("$.tasks[0].retry.attempts", "range", "'attempts' must be between 1 and 100")], errors);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(100)]
    public void ReadAndValidate_AttemptsAtBounds_AreAccepted(int attempts)
    {
        Assert.Empty(Errors(Pipeline($$"""{ "name": "a", "handler": "echo", "retry": { "attempts": {{attempts}} } }""")));
    }

    [Fact]
    public void ReadAndValidate_BackoffBelowOne_ReportsRange()
    {
        var errors = Errors(Pipeline("""{ "name": "a", "handler": "echo", "retry": { "attempts": 2, "backoff": 0.5 } }"""));

        Assert.Equal([new ValidationError("$.tasks[0].retry.backoff", "range", "'backoff' must be a number of at least 1")], errors);
    }

    [Fact]
    public void ReadAndValidate_MaxDelayShorterThanDelay_ReportsRange()
    {
        var errors = Errors(Pipeline("""{ "name": "a", "handler": "echo", "retry": { "attempts": 2, "delay": "2s", "maxDelay": "1s" } }"""));

        Assert.Equal([new ValidationError("$.tasks[0].retry.maxDelay", "range", "'maxDelay' must not be shorter than 'delay'")], errors);
    }

    [Theory]
    [InlineData("""{ "name": "a", "handler": "fail", "config": { "times": -1 } }""", "$.tasks[0].config.times", "'times' must be a whole number of at least 0")]
    [InlineData("""{ "name": "a", "handler": "fail", "config": { "times": "twice" } }""", "$.tasks[0].config.times", "'times' must be a whole number of at least 0")]
    [InlineData("""{ "name": "a", "handler": "sleep", "config": { "ms": "100" } }""", "$.tasks[0].config.ms", "'ms' must be a whole number of milliseconds of at least 0")]
    [InlineData("""{ "name": "a", "handler": "sleep", "config": { "ms": -5 } }""", "$.tasks[0].config.ms", "'ms' must be a whole number of at least 0")]
    [InlineData("""{ "name": "a", "handler": "http" }""", "$.tasks[0].config.url", "'url' is required (an absolute http or https URL)")]
    [InlineData("""{ "name": "a", "handler": "http", "config": { "url": "example.test/orders" } }""", "$.tasks[0].config.url", "'example.test/orders' is not an absolute http or https URL")]
    [InlineData("""{ "name": "a", "handler": "http", "config": { "url": "ftp://example.test/orders" } }""", "$.tasks[0].config.url", "'ftp://example.test/orders' is not an absolute http or https URL")]
    [InlineData("""{ "name": "a", "handler": "http", "config": { "url": "https://example.test", "method": "FETCH" } }""", "$.tasks[0].config.method", "'FETCH' is not one of GET, POST, PUT, PATCH, DELETE")]
    [InlineData("""{ "name": "a", "handler": "echo", "config": { "anything": 1 } }""", null, null)]
    public void ReadAndValidate_ConfigFailingTheHandlerSchema_ReportsOneConfigErrorPerMember(string task, string? path, string? message)
    {
        ValidationError[] expected = path is null ? [] : [new ValidationError(path, "config", message!)];

        var errors = Errors(Pipeline(task));

        Assert.Equal(expected, errors);
    }

    [Fact]
    public void Validate_ConfigMemberOfWrongKind_ReportsOneErrorNotTheSchemaAndRangeBoth()
    {
        var definition = new PipelineBuilder("p").Task("a", "sleep", t => t.Config(new JsonObject { ["ms"] = "100" })).Build();

        var errors = s_validator.Validate(definition);

        Assert.Equal([new ValidationError("$.tasks[0].config.ms", "config", "'ms' must be a whole number of milliseconds of at least 0")], errors);
    }

    [Fact]
    public void ReadAndValidate_UnknownConfigMember_ReportsItWithHintAndTheMissingOne()
    {
        var errors = Errors(Pipeline("""{ "name": "a", "handler": "http", "config": { "urll": "https://example.test" } }"""));

        Assert.Equal(
            [
                new ValidationError("$.tasks[0].config.url", "config", "'url' is required (an absolute http or https URL)"),
                new ValidationError("$.tasks[0].config.urll", "config", "unknown member 'urll' (did you mean 'url'?)"),
            ],
            errors);
    }

    [Theory]
    [InlineData("orders-{input.date", "unmatched '{' at position 8")]
    [InlineData("orders-}{input.date}", "unmatched '}' at position 8")]
    [InlineData("orders-{item.date}", "placeholder {item.date} must read the run input ('input…')")]
    [InlineData("orders-{}", "bad placeholder {}: an iterator path cannot be empty")]
    [InlineData("orders-{input..date}", "bad placeholder {input..date}: 'input..date' has an empty step at position 7")]
    public void ReadAndValidate_BadRunIdTemplate_ReportsTemplate(string template, string message)
    {
        var errors = Errors(Pipeline("""{ "name": "a", "handler": "echo" }""", $$""" "runIdFrom": "{{template}}", """));

        Assert.Equal([new ValidationError("$.runIdFrom", "template", message)], errors);
    }

    [Fact]
    public void ReadAndValidate_SeveralTemplateProblems_ReportsEach()
    {
        var errors = Errors(Pipeline("""{ "name": "a", "handler": "echo" }""", """ "runIdFrom": "{item}-{}", """));

        Assert.Equal(
            [
                new ValidationError("$.runIdFrom", "template", "placeholder {item} must read the run input ('input…')"),
                new ValidationError("$.runIdFrom", "template", "bad placeholder {}: an iterator path cannot be empty"),
            ],
            errors);
    }

    [Fact]
    public void ReadAndValidate_EveryErrorAtOnce_ReportsThemAll()
    {
        var json = """
            {
              "name": "bad name",
              "ttl": "0s",
              "runIdFrom": "run-{input.date",
              "iterator": "item.x",
              "tasks": [
                { "name": "a", "handler": "ecko", "parents": ["c"] },
                { "name": "b", "handler": "sleep", "config": { "ms": -1 }, "maxConcurrency": 0, "parents": ["zzz"] },
                { "name": "c", "handler": "echo", "parents": ["a"], "iterator": "parents.b.output", "retry": { "attempts": 0 } },
                { "name": "c", "handler": "echo", "parent": ["a"], "timeout": "soon" }
              ]
            }
            """;

        var (definition, errors) = s_validator.ReadAndValidate(json);

        Assert.Null(definition);
        Assert.Equal(
            [
                "$.tasks[3].parent: unknown-property",
                "$.tasks[3].timeout: duration",
                "$.name: invalid-name",
                "$.ttl: duration",
                "$.runIdFrom: template",
                "$.iterator: iterator-path",
                "$.tasks[3].name: duplicate-task",
                "$.tasks[0].handler: unknown-handler",
                "$.tasks[1].config.ms: config",
                "$.tasks[1].parents[0]: unknown-parent",
                "$.tasks[1].maxConcurrency: range",
                "$.tasks[2].retry.attempts: range",
                "$.tasks[2].iterator: iterator-path",
                "$.tasks[0].parents: cycle",
            ],
            errors.Select(e => $"{e.Path}: {e.Code}"));
    }

    [Fact]
    public void ReadAndValidate_ReaderAndValidatorErrors_AreMerged()
    {
        var errors = Errors(Pipeline(
            """{ "name": "a", "handler": "echo" }, { "name": "b", "handler": "echo", "parents": ["x"], "retri": {} }""",
            """ "ttl": "5 minutes", """));

        Assert.Equal(
            [
                new ValidationError("$.tasks[1].retri", "unknown-property", "unknown member 'retri' (did you mean 'retry'?)"),
                new ValidationError("$.ttl", "duration", "'5 minutes' is not a duration (use hh:mm:ss, or a number followed by ms, s, m or h)"),
                new ValidationError("$.tasks[1].parents[0]", "unknown-parent", "unknown task 'x'"),
            ],
            errors);
    }

    [Theory]
    [InlineData("""{ "tasks": [ { "name": "a", "handler": "echo" } ] }""", "$.name", "required")]
    [InlineData("""{ "name": 5, "tasks": [ { "name": "a", "handler": "echo" } ] }""", "$.name", "type")]
    [InlineData("""{ "name": "p" }""", "$.tasks", "required")]
    [InlineData("""{ "name": "p", "tasks": {} }""", "$.tasks", "type")]
    [InlineData("""{ "name": "p", "tasks": [ { "name": "a" } ] }""", "$.tasks[0].handler", "required")]
    [InlineData("""{ "name": "p", "tasks": [ { "name": "a", "handler": 1 } ] }""", "$.tasks[0].handler", "type")]
    [InlineData("""{ "name": "p", "tasks": [ 42 ] }""", "$.tasks[0]", "type")]
    public void ReadAndValidate_ProblemTheReaderReported_IsNotReportedAgain(string json, string path, string code)
    {
        var errors = Errors(json);

        var error = Assert.Single(errors);
        Assert.Equal((path, code), (error.Path, error.Code));
    }

    [Fact]
    public void ReadAndValidate_ParentThatIsNotAString_KeepsLaterParentPathsRight()
    {
        var errors = Errors(Pipeline("""{ "name": "extract", "handler": "echo" }, { "name": "load", "handler": "echo", "parents": [1, "extrct"] }"""));

        Assert.Equal(
            [
                new ValidationError("$.tasks[1].parents[0]", "type", "a parent must be a task name (string)"),
                new ValidationError("$.tasks[1].parents[1]", "unknown-parent", "unknown task 'extrct' (did you mean 'extract'?)"),
            ],
            errors);
    }

    [Fact]
    public void ReadAndValidate_InvalidJson_GivesOnlyTheSyntaxError()
    {
        var (definition, errors) = s_validator.ReadAndValidate("{ \"name\": ");

        Assert.Null(definition);
        Assert.Equal("json-syntax", Assert.Single(errors).Code);
    }

    [Fact]
    public void ReadAndValidate_ToleratedFailures_GivesTheAllowance()
    {
        var (definition, errors) = s_validator.ReadAndValidate(Pipeline("""{ "name": "a", "handler": "echo", "iterator": "input.items", "toleratedFailures": { "count": 5, "percentage": 12.5 } }"""));

        Assert.Empty(errors);
        Assert.Equal(new ToleratedFailures { Count = 5, Percentage = 12.5 }, definition!.Tasks[0].ToleratedFailures);
    }

    [Theory]
    [InlineData("""{ "count": 1 }""", "$.tasks[0].toleratedFailures", "range", "'toleratedFailures' applies to the results of a task iterator: this task has no 'iterator'", false)]
    [InlineData("""{}""", "$.tasks[0].toleratedFailures", "required", "'toleratedFailures' needs 'count', 'percentage' or both", true)]
    [InlineData("""{ "count": -1 }""", "$.tasks[0].toleratedFailures.count", "range", "'count' must be at least 0", true)]
    [InlineData("""{ "percentage": 100.5 }""", "$.tasks[0].toleratedFailures.percentage", "range", "'percentage' must be a number from 0 to 100", true)]
    [InlineData("""{ "percentge": 10 }""", "$.tasks[0].toleratedFailures.percentge", "unknown-property", "unknown member 'percentge' (did you mean 'percentage'?)", true)]
    [InlineData("""3""", "$.tasks[0].toleratedFailures", "type", "'toleratedFailures' must be an object { \"count\", \"percentage\" }", true)]
    public void ReadAndValidate_BadToleratedFailures_ReportsItsPath(string tolerated, string path, string code, string message, bool iterated)
    {
        var iterator = iterated ? "\"iterator\": \"input.items\"," : string.Empty;
        var errors = Errors(Pipeline($$"""{ "name": "a", "handler": "echo", {{iterator}} "toleratedFailures": {{tolerated}} }"""));

        Assert.Contains(new ValidationError(path, code, message), errors);
    }

    [Fact]
    public void ReadAndValidate_Repair_OnATaskAndAsThePipelineDefault()
    {
        var (definition, errors) = s_validator.ReadAndValidate(Pipeline(
            """{ "name": "a", "handler": "echo", "repair": { "timeout": "2h" } }, { "name": "b", "handler": "echo" }""",
            members: "\"repair\": {},"));

        Assert.Empty(errors);
        Assert.Equal(TimeSpan.FromHours(2), definition!.RepairOf(definition.Tasks[0])!.Timeout);
        Assert.Equal(new RepairPolicy(), definition.RepairOf(definition.Tasks[1]));
    }

    [Theory]
    [InlineData("""{ "name": "a", "handler": "echo", "repair": true }""", "$.tasks[0].repair", "type", "'repair' must be an object { \"timeout\" } ({} waits for an operator without a time limit)")]
    [InlineData("""{ "name": "a", "handler": "echo", "repair": { "timout": "1h" } }""", "$.tasks[0].repair.timout", "unknown-property", "unknown member 'timout' (did you mean 'timeout'?)")]
    [InlineData("""{ "name": "a", "handler": "echo", "repair": { "timeout": "0s" } }""", "$.tasks[0].repair.timeout", "duration", "'timeout' must be longer than zero")]
    [InlineData("""{ "name": "a", "handler": "wait", "config": { "event": "go" }, "repair": {} }""", "$.tasks[0].repair", "range", "'repair' does not apply to a 'wait' task: its timeout already says what happens when no event comes (\"onTimeout\")")]
    public void ReadAndValidate_BadRepair_ReportsItsPath(string task, string path, string code, string message)
    {
        Assert.Contains(new ValidationError(path, code, message), Errors(Pipeline(task)));
    }

    [Fact]
    public void ReadAndValidate_BadPipelineRepairTimeout_ReportsItsPath()
    {
        var errors = Errors(Pipeline("""{ "name": "a", "handler": "echo" }""", members: "\"repair\": { \"timeout\": \"0s\" },"));

        Assert.Contains(new ValidationError("$.repair.timeout", "duration", "'timeout' must be longer than zero"), errors);
    }

    [Fact]
    public void ReadAndValidate_ExecutionAndUsing_OnTasksAndThePipeline()
    {
        var (definition, errors) = s_validator.ReadAndValidate(Pipeline(
            """{ "name": "a", "handler": "echo", "execution": "thread" }, { "name": "b", "handler": "echo", "using": "process" }, { "name": "c", "handler": "echo" }""",
            members: "\"execution\": \"main\","));

        Assert.Empty(errors);
        Assert.Equal(["thread", "process", "main"], definition!.Tasks.Select(definition.RunnerOf));
    }

    [Theory]
    [InlineData("""{ "name": "a", "handler": "echo", "execution": "proces" }""", "$.tasks[0].execution", "range", "unknown execution 'proces' (did you mean 'process'?): one of async, thread, process, main")]
    [InlineData("""{ "name": "a", "handler": "echo", "using": "thred" }""", "$.tasks[0].using", "unknown-handler", "unknown task runner 'thred' (did you mean 'thread'?)")]
    [InlineData("""{ "name": "a", "handler": "echo", "execution": "thread", "using": "process" }""", "$.tasks[0].using", "range", "give 'execution' or 'using', not both: the task runner 'using' names decides how the results execute")]
    [InlineData("""{ "name": "a", "handler": "wait", "config": { "event": "go" }, "execution": "thread" }""", "$.tasks[0].execution", "range", "a 'wait' task runs no handler: it waits in the orchestration, so 'execution' and 'using' do not apply")]
    [InlineData("""{ "name": "a", "handler": "echo", "execution": 3 }""", "$.tasks[0].execution", "type", "'execution' must be a string")]
    public void ReadAndValidate_BadExecution_ReportsItsPathAndASuggestion(string task, string path, string code, string message)
    {
        Assert.Contains(new ValidationError(path, code, message), Errors(Pipeline(task)));
    }

    [Fact]
    public void ReadAndValidate_BadPipelineExecution_ReportsItsPath()
    {
        var errors = Errors(Pipeline("""{ "name": "a", "handler": "echo" }""", members: "\"execution\": \"threads\","));

        Assert.Contains(new ValidationError("$.execution", "range", "unknown execution 'threads' (did you mean 'thread'?): one of async, thread, process, main"), errors);
    }

    private static IReadOnlyList<ValidationError> Errors(string json) => s_validator.ReadAndValidate(json).Errors;

    private static string Pipeline(string tasks, string members = "") => $$"""{ "name": "p", {{members}} "tasks": [ {{tasks}} ] }""";
}
