using System.Text.Json.Nodes;
using DurablePipelines.Definitions;

namespace DurablePipelines.Tests.Definitions;

public class RunIdTemplateTests
{
    private const string RunIdRule = "letters, digits, '-', '_' and '.', starting with a letter or digit, at most 100";

    [Theory]
    [InlineData("r1", true)]
    [InlineData("orders-2024-01-31_eu.v2", true)]
    [InlineData("", false)]
    [InlineData(null, false)]
    [InlineData("-leading", false)]
    [InlineData("has space", false)]
    [InlineData("slash/inside", false)]
    public void IsValidRunId_Id_FollowsTheRule(string? runId, bool expected)
    {
        Assert.Equal(expected, RunIdTemplate.IsValidRunId(runId));
    }

    [Fact]
    public void IsValidRunId_Length_IsAtMost100()
    {
        Assert.True(RunIdTemplate.IsValidRunId(new string('a', 100)));
        Assert.False(RunIdTemplate.IsValidRunId(new string('a', 101)));
    }

    [Theory]
    [InlineData("orders-{input.date}")]
    [InlineData("{input.region}-{input.date}")]
    [InlineData("{input.regions[0]}")]
    [InlineData("{input}")]
    [InlineData("fixed")]
    public void Check_GoodTemplate_HasNoProblems(string template)
    {
        Assert.Empty(RunIdTemplate.Check(template));
    }

    [Theory]
    [InlineData("orders-{input.date", "unmatched '{' at position 8")]
    [InlineData("orders}", "unmatched '}' at position 7")]
    [InlineData("{parents.a.output.id}", "placeholder {parents.a.output.id} must read the run input ('input…')")]
    [InlineData("{date}", "bad placeholder {date}: 'date' must start with 'input', 'item' or 'parents.<task>.output'")]
    public void Check_BadTemplate_SaysWhy(string template, string expected)
    {
        Assert.Equal([expected], RunIdTemplate.Check(template));
    }

    [Fact]
    public void Check_SeveralBadPlaceholders_ReportsEach()
    {
        Assert.Equal(
            ["placeholder {item} must read the run input ('input…')", "bad placeholder {}: an iterator path cannot be empty"],
            RunIdTemplate.Check("{item}-{}"));
    }

    [Theory]
    [InlineData("orders-{input.date}", """{ "date": "2024-01-31" }""", "orders-2024-01-31")]
    [InlineData("{input.region}.{input.n}.{input.full}", """{ "region": "eu", "n": 7, "full": true }""", "eu.7.true")]
    [InlineData("run-{input.order.id}", """{ "order": { "id": "A1" } }""", "run-A1")]
    [InlineData("first-{input.regions[1]}", """{ "regions": ["eu", "us"] }""", "first-us")]
    [InlineData("{input}", "\"whole\"", "whole")]
    [InlineData("fixed", "null", "fixed")]
    public void Render_ValuesPresent_GivesTheRunId(string template, string input, string expected)
    {
        var id = RunIdTemplate.Render(template, JsonNode.Parse(input), out var error);

        Assert.Null(error);
        Assert.Equal(expected, id);
    }

    [Theory]
    [InlineData("""{ "day": "2024-01-31" }""")]
    [InlineData("""{ "date": null }""")]
    [InlineData("""{ "date": { "y": 2024 } }""")]
    [InlineData("""{ "date": [2024] }""")]
    [InlineData("null")]
    public void Render_ValueMissingOrNotPlain_SaysWhich(string input)
    {
        var id = RunIdTemplate.Render("orders-{input.date}", JsonNode.Parse(input), out var error);

        Assert.Null(id);
        Assert.Equal("runIdFrom 'orders-{input.date}': {input.date} is missing from the input or not a plain value", error);
    }

    [Fact]
    public void Render_PlaceholderNotOnInput_IsNeverReadFromTheInput()
    {
        var id = RunIdTemplate.Render("{item.date}", JsonNode.Parse("""{ "date": "2024" }"""), out var error);

        Assert.Null(id);
        Assert.Equal("runIdFrom '{item.date}': {item.date} is missing from the input or not a plain value", error);
    }

    [Fact]
    public void Render_ResultNotAValidRunId_SaysWhy()
    {
        var id = RunIdTemplate.Render("orders-{input.date}", JsonNode.Parse("""{ "date": "2024/01/31" }"""), out var error);

        Assert.Null(id);
        Assert.Equal($"runIdFrom 'orders-{{input.date}}' gave 'orders-2024/01/31', which is not a valid run id ({RunIdRule})", error);
    }

    [Fact]
    public void Render_UnmatchedBrace_SaysWhere()
    {
        var id = RunIdTemplate.Render("orders-{input.date", JsonNode.Parse("{}"), out var error);

        Assert.Null(id);
        Assert.Equal("unmatched '{' at position 8", error);
    }

    [Fact]
    public void Render_SameInput_GivesTheSameId()
    {
        var first = RunIdTemplate.Render("orders-{input.date}", JsonNode.Parse("""{ "date": "2024-01-31", "other": 1 }"""), out _);
        var second = RunIdTemplate.Render("orders-{input.date}", JsonNode.Parse("""{ "other": 2, "date": "2024-01-31" }"""), out _);

        Assert.Equal("orders-2024-01-31", first);
        Assert.Equal(first, second);
    }
}
