using Microsoft.Playwright;

namespace DurablePipelines.Browser.Tests;

/// <summary>
/// Debian's Chromium (<c>/usr/bin/chromium</c>, which the test command installs) driven by Playwright. Playwright
/// only talks to it through the driver shipped in its NuGet package: no browser of Playwright's own is ever
/// downloaded or used.
/// </summary>
internal static class DebianChromium
{
    /// <summary>Where Debian's <c>chromium</c> package puts the browser.</summary>
    public const string ExecutablePath = "/usr/bin/chromium";

    // Playwright adds --headless (Headless = true) and a fresh, empty --user-data-dir of its own per launch.
    // Root needs --no-sandbox; the rest keep the browser off the network (no component updates, sync or QUIC
    // probes) so a test never waits on a registry-only machine's missing internet.
    private static readonly string[] s_arguments =
    [
        "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync",
    ];

    /// <summary>What a test says when the browser is not installed.</summary>
    public static string MissingMessage(string executablePath) =>
        $"Chromium is not installed at {executablePath}: the dashboard's browser tests drive Debian's Chromium. " +
        "Run the README's test command (./test.sh), which installs it (apt-get install -y chromium), or install that package yourself.";

    /// <summary>Launches the browser at <paramref name="executablePath"/>; fails with <see cref="MissingMessage"/> when it is not there.</summary>
    public static async Task<IBrowser> LaunchAsync(IPlaywright playwright, string executablePath = ExecutablePath)
    {
        ArgumentNullException.ThrowIfNull(playwright);
        if (!File.Exists(executablePath))
        {
            throw new FileNotFoundException(MissingMessage(executablePath), executablePath);
        }

        return await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = executablePath,
            Headless = true,
            Args = s_arguments,
            Timeout = 60_000,
        });
    }
}
