using DurablePipelines.Definitions;

namespace DurablePipelines.Tests.Definitions;

public class DurationsTests
{
    [Theory]
    [InlineData("00:00:02", 2_000)]
    [InlineData("06:00:00", 21_600_000)]
    [InlineData("00:05", 300_000)]
    [InlineData("1.02:03:04", 93_784_000)]
    [InlineData("00:00:00.5", 500)]
    [InlineData("00:00:00", 0)]
    [InlineData("500ms", 500)]
    [InlineData("30s", 30_000)]
    [InlineData("5m", 300_000)]
    [InlineData("2h", 7_200_000)]
    [InlineData("1.5h", 5_400_000)]
    [InlineData("0.25s", 250)]
    [InlineData(" 10s ", 10_000)]
    [InlineData("0s", 0)]
    public void TryParse_ValidText_GivesTheDuration(string text, long milliseconds)
    {
        Assert.True(Durations.TryParse(text, out var value));

        Assert.Equal(TimeSpan.FromMilliseconds(milliseconds), value);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("5 minutes")]
    [InlineData("5")]
    [InlineData("5d")]
    [InlineData("s")]
    [InlineData("-5s")]
    [InlineData("-00:00:01")]
    [InlineData("25:00:00")]
    [InlineData("00:60:00")]
    [InlineData("soon")]
    [InlineData("NaNs")]
    [InlineData("Infinityh")]
    [InlineData("99999999999h")]
    [InlineData("1e300h")]
    public void TryParse_InvalidText_IsRefused(string? text)
    {
        Assert.False(Durations.TryParse(text, out var value));

        Assert.Equal(TimeSpan.Zero, value);
    }

    [Theory]
    [InlineData(5_400_000, "01:30:00")]
    [InlineData(86_400_000, "1.00:00:00")]
    [InlineData(500, "00:00:00.5000000")]
    public void Format_Duration_WritesTheCanonicalForm(long milliseconds, string expected)
    {
        var text = Durations.Format(TimeSpan.FromMilliseconds(milliseconds));

        Assert.Equal(expected, text);
        Assert.True(Durations.TryParse(text, out var back));
        Assert.Equal(TimeSpan.FromMilliseconds(milliseconds), back);
    }
}
