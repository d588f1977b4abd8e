using Microsoft.Playwright;

namespace DurablePipelines.Browser.Tests;

public sealed class DebianChromiumTests
{
    [Fact]
    public async Task LaunchAsync_BrowserMissing_FailsSayingToRunTheTestCommand()
    {
        using var playwright = await Playwright.CreateAsync();
        var missing = Path.Combine(Path.GetTempPath(), "no-chromium-" + Guid.NewGuid().ToString("N"), "chromium");

        var error = await Assert.ThrowsAsync<FileNotFoundException>(() => DebianChromium.LaunchAsync(playwright, missing));

        Assert.Equal(
            $"Chromium is not installed at {missing}: the dashboard's browser tests drive Debian's Chromium. " +
            "Run the README's test command (./test.sh), which installs it (apt-get install -y chromium), or install that package yourself.",
            error.Message);
    }
}
