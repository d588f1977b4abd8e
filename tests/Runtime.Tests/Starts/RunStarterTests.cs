using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using DurablePipelines.Definitions;
using DurablePipelines.Orchestration;
using DurablePipelines.Starts;
using DurablePipelines.Validation;
using Microsoft.Extensions.Time.Testing;

namespace DurablePipelines.Tests.Starts;

public class RunStarterTests
{
    private const string RunIdRule = "letters, digits, '-', '_' and '.', starting with a letter or digit, at most 100";

    private static readonly DateTimeOffset s_now = new(2024, 1, 31, 12, 34, 56, TimeSpan.Zero);

    private readonly RunStarter _planner = new(new FakeTimeProvider(s_now));

    [Theory]
    [InlineData("bad id!")]
    [InlineData("")]
    [InlineData("-x")]
    public void Plan_GivenRunIdInvalid_IsRefusedAtRunId(string runId)
    {
        var ex = Assert.Throws<PipelineValidationException>(() => Plan(Simple(), null, runId));

        Assert.Equal([new ValidationError("$.runId", "input", $"'{runId}' is not a valid run id ({RunIdRule})")], ex.Errors);
        Assert.Equal($"$.runId: '{runId}' is not a valid run id ({RunIdRule})", ex.Message);
    }

    [Fact]
    public void Plan_GivenRunId_WinsOverRunIdFrom()
    {
        var definition = new PipelineBuilder("orders").RunIdFrom("orders-{input.date}").Task("a", "echo").Build();

        var plan = Plan(definition, JsonNode.Parse("""{ "date": "2024-01-31" }"""), "mine");

        Assert.Equal("mine", plan.RunId);
    }

    [Fact]
    public void Plan_RunIdFrom_SameInputGivesSameId()
    {
        var definition = new PipelineBuilder("orders").RunIdFrom("orders-{input.date}").Task("a", "echo").Build();

        var first = Plan(definition, JsonNode.Parse("""{ "date": "2024-01-31" }"""));
        var second = Plan(definition, JsonNode.Parse("""{ "date": "2024-01-31" }"""));
        var other = Plan(definition, JsonNode.Parse("""{ "date": "2024-02-01" }"""));

        Assert.Equal("orders-2024-01-31", first.RunId);
        Assert.Equal(first.RunId, second.RunId);
        Assert.Equal("orders-2024-02-01", other.RunId);
    }

    [Fact]
    public void Plan_RunIdFromValueMissing_IsRefusedAtInput()
    {
        var definition = new PipelineBuilder("orders").RunIdFrom("orders-{input.date}").Task("a", "echo").Build();

        var ex = Assert.Throws<PipelineValidationException>(() => Plan(definition, JsonNode.Parse("{}")));

        Assert.Equal(
            [new ValidationError("$.input", "input", "runIdFrom 'orders-{input.date}': {input.date} is missing from the input or not a plain value")],
            ex.Errors);
    }

    [Fact]
    public void Plan_PipelineIteratorNotAnArray_IsRefusedWithTheIteratorText()
    {
        var definition = new PipelineBuilder("orders").ForEach("input.regions").Task("a", "echo").Build();

        var ex = Assert.Throws<PipelineValidationException>(() => Plan(definition, JsonNode.Parse("""{ "regions": "eu" }""")));

        Assert.Equal([new ValidationError("$.input", "input", "pipeline iterator: iterator 'input.regions' must give an array, not string")], ex.Errors);
    }

    [Fact]
    public void Plan_TaskIteratorMissingFromInput_IsRefusedWithTheTaskName()
    {
        var definition = new PipelineBuilder("files").Task("list", "echo").Task("each", "echo", t => t.ForEach("input.files")).Build();

        var ex = Assert.Throws<PipelineValidationException>(() => Plan(definition, JsonNode.Parse("""{ "file": [] }""")));

        Assert.Equal([new ValidationError("$.input", "input", "iterator of task 'each': iterator 'input.files' found nothing: the value is missing or null")], ex.Errors);
    }

    [Fact]
    public void Plan_IteratorsNotOnInput_AreNotCheckedAtStart()
    {
        var definition = new PipelineBuilder("p")
            .ForEach("input.regions")
            .Task("a", "echo", t => t.ForEach("item.files"))
            .Task("b", "echo", t => t.ForEach("parents.a.output"))
            .Task("c", "echo", t => t.ForEachFrom("files"))
            .Build();

        var plan = Plan(definition, JsonNode.Parse("""{ "regions": [] }"""));

        Assert.Equal(definition, plan.Definition);
    }

    [Fact]
    public void Plan_EveryProblem_IsReportedTogether()
    {
        var definition = new PipelineBuilder("orders").ForEach("input.regions").Task("a", "echo").Build();

        var ex = Assert.Throws<PipelineValidationException>(() => Plan(definition, null, "bad id!"));

        Assert.Equal(["$.runId", "$.input"], ex.Errors.Select(e => e.Path));
        Assert.Equal(
            $"2 errors:\n  $.runId: 'bad id!' is not a valid run id ({RunIdRule})\n  $.input: pipeline iterator: iterator 'input.regions' found nothing: the value is missing or null",
            ex.Message);
    }

    [Fact]
    public void Plan_NoRunId_GeneratesATimeOrderedId()
    {
        var plan = Plan(Simple(), null);

        Assert.Matches(new Regex("^simple-20240131123456-[0-9a-f]{8}$"), plan.RunId);
        Assert.True(RunIdTemplate.IsValidRunId(plan.RunId));
        Assert.NotEqual(plan.RunId, Plan(Simple(), null).RunId);
    }

    [Fact]
    public void NewRunId_LongPipelineName_IsCutSoTheIdStaysValid()
    {
        var name = new string('p', 64);

        var id = _planner.NewRunId(name);

        Assert.Matches(new Regex($"^{new string('p', 60)}-20240131123456-[0-9a-f]{{8}}$"), id);
        Assert.True(RunIdTemplate.IsValidRunId(id));
    }

    [Fact]
    public void Plan_Accepted_CarriesTheStartAsGiven()
    {
        var input = JsonNode.Parse("""{ "n": 1 }""");
        var settings = new OrchestrationSettings { ChunkSize = 7 };

        var plan = _planner.Plan(Simple(), input, "r1", "parallel", settings);

        Assert.Equal(("r1", "parallel", settings, s_now.UtcDateTime), (plan.RunId, plan.Runner, plan.Settings, plan.CreatedAt));
        Assert.True(JsonNode.DeepEquals(input, plan.Input));
        Assert.NotSame(input, plan.Input);
    }

    [Fact]
    public void Plan_BadSettings_RefusedWithEveryProblem()
    {
        var settings = new OrchestrationSettings { ChunkSize = 0, InlinePayloadLimit = 1 };

        var ex = Assert.Throws<ArgumentException>(() => _planner.Plan(Simple(), null, "r1", "eager", settings));

        Assert.Equal("settings", ex.ParamName);
        Assert.StartsWith("invalid orchestration settings: ChunkSize must be at least 1; InlinePayloadLimit must be at least 256 bytes", ex.Message, StringComparison.Ordinal);
    }

    private static PipelineDefinition Simple() => new PipelineBuilder("simple").Task("a", "echo").Build();

    private RunPipelineInput Plan(PipelineDefinition definition, JsonNode? input, string? runId = null) =>
        _planner.Plan(definition, input, runId, "eager", new OrchestrationSettings());
}
