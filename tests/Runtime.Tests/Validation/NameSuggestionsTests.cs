using DurablePipelines.Validation;

namespace DurablePipelines.Tests.Validation;

public class NameSuggestionsTests
{
    private static readonly string[] s_tasks = ["extract", "load", "transform"];

    [Theory]
    [InlineData("extrct", " (did you mean 'extract'?)")]
    [InlineData("EXTRACT", " (did you mean 'extract'?)")]
    [InlineData("lod", " (did you mean 'load'?)")]
    [InlineData("transfrom", " (did you mean 'transform'?)")]
    [InlineData("warehouse", "")]
    [InlineData("x", "")]
    [InlineData("", "")]
    public void DidYouMean_Name_GivesClosestCandidateOrNothing(string name, string expected)
    {
        Assert.Equal(expected, NameSuggestions.DidYouMean(name, s_tasks));
    }

    [Fact]
    public void DidYouMean_OneLetterNameOneEditAway_HasNoHint()
    {
        Assert.Equal(string.Empty, NameSuggestions.DidYouMean("x", ["a", "b"]));
    }

    [Fact]
    public void DidYouMean_TwoCandidatesEquallyClose_PicksTheFirstInOrdinalOrder()
    {
        Assert.Equal(" (did you mean 'cat'?)", NameSuggestions.DidYouMean("cot", ["cut", "cat"]));
    }

    [Fact]
    public void DidYouMean_NoCandidates_GivesNothing()
    {
        Assert.Equal(string.Empty, NameSuggestions.DidYouMean("extract", []));
    }
}
