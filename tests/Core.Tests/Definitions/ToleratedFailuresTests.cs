using DurablePipelines.Definitions;

namespace DurablePipelines.Tests.Definitions;

public class ToleratedFailuresTests
{
    [Theory]
    [InlineData(3, null, 10, 3)]
    [InlineData(null, 10.0, 30, 3)]
    [InlineData(null, 10.0, 29, 2)]
    [InlineData(null, 25.0, 8, 2)]
    [InlineData(null, 0.0, 1000, 0)]
    [InlineData(null, 100.0, 7, 7)]
    [InlineData(5, 50.0, 4, 2)]
    [InlineData(1, 50.0, 100, 1)]
    [InlineData(0, null, 10, 0)]
    public void Allowed_IsTheSmallerOfCountAndShareRoundedDown(int? count, double? percentage, int results, int allowed)
    {
        var tolerated = new ToleratedFailures { Count = count, Percentage = percentage };

        Assert.Equal(allowed, tolerated.Allowed(results));
    }

    [Fact]
    public void Allowed_ShareOfEveryCount_NeverExceedsThePercentage()
    {
        for (var results = 0; results <= 1000; results++)
        {
            var allowed = new ToleratedFailures { Percentage = 7.3 }.Allowed(results);

            Assert.True(allowed * 100m <= 7.3m * results, $"{allowed} of {results} is more than 7.3 %");
            Assert.True((allowed + 1) * 100m > 7.3m * results, $"{allowed + 1} of {results} is not more than 7.3 %");
        }
    }
}
