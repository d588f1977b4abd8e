using System.Text.RegularExpressions;
using DurablePipelines.TestSupport.Azurite;
using Microsoft.Playwright;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace DurablePipelines.Browser.Tests.Api.Dashboard;

/// <summary>
/// The dashboard in a real browser against the real host on Azurite: starts runs through the page's form and
/// watches their tasks turn green or red on the run page.
/// </summary>
[Collection(AzuriteFixture.Collection)]
public sealed partial class DashboardTests(AzuriteFixture azurite, ITestOutputHelper output) : IAsyncLifetime
{
    // Runs take a few seconds; the first page load also pays for the host's and the browser's warm-up.
    private const float RunTimeoutMs = 60_000;

    // The dashboard's colours (dashboard.css): node fills by status, as the browser computes them.
    private const string Green = "rgb(218, 251, 225)";
    private const string Red = "rgb(255, 235, 233)";
    private const string Amber = "rgb(255, 248, 197)";
    private const string Blue = "rgb(221, 244, 255)";

    // The status badge of a suspended run (--held).
    private const string Purple = "rgb(130, 80, 223)";

    // A result waiting for an operator: its badge (--operator) and its task's node fill.
    private const string Orange = "rgb(188, 76, 0)";
    private const string Peach = "rgb(255, 241, 229)";

    private readonly List<string> _pageErrors = [];
    private DashboardHost _host = null!;
    private IPlaywright _playwright = null!;
    private IBrowser _browser = null!;
    private IPage _page = null!;

    public async Task InitializeAsync()
    {
        SetDefaultExpectTimeout(RunTimeoutMs);
        _host = await DashboardHost.StartAsync(azurite.ConnectionString);
        _playwright = await Playwright.CreateAsync();
        _browser = await DebianChromium.LaunchAsync(_playwright);
        _page = await _browser.NewPageAsync(new BrowserNewPageOptions { ViewportSize = new ViewportSize { Width = 1280, Height = 1000 } });
        _page.Console += (_, message) =>
        {
            if (message.Type == "error")
            {
                _pageErrors.Add($"{message.Text} ({message.Location})");
            }
        };
        _page.PageError += (_, error) => _pageErrors.Add(error);
    }

    public async Task DisposeAsync()
    {
        if (_browser is not null)
        {
            await _browser.DisposeAsync();
        }

        _playwright?.Dispose();
        if (_host is not null)
        {
            await _host.DisposeAsync();
        }
    }

    [Fact]
    public async Task StartForm_SucceedingAndFailingPipelines_TasksTurnGreenOrRedAndBothRunsAreListed()
    {
        await _page.GotoAsync(_host.Address.ToString());

        // A small DAG with a fan-out of four: the page shows the fan-out running and offers to cancel, then,
        // refreshing by itself, every node ends green and the fan-out counts its results.
        var succeeded = await StartRunAsync(DashboardHost.SucceedingPipeline, """{ "items": ["north", "south", "east", "west"] }""");
        await ExpectTask("process", "Running", Blue);
        await Expect(_page.Locator("#cancel-button")).ToBeVisibleAsync();
        foreach (var task in new[] { "prepare", "process", "audit", "report" })
        {
            await ExpectTask(task, "Succeeded", Green);
        }

        await Expect(_page.Locator("#run-status")).ToHaveTextAsync("Succeeded");
        await Expect(_page.Locator("#cancel-button")).ToBeHiddenAsync();
        await Expect(Task("process")).ToContainTextAsync("4/4 ok");
        await Expect(_page.Locator("#task-results tbody tr[data-task='process']")).ToHaveCountAsync(4);
        await Expect(_page.Locator("#run-log tbody tr").First).ToBeVisibleAsync();
        await ScreenshotAsync("run-succeeded");

        // One branch fails: its task is red with the handler's message, its descendants are cancelled, the
        // independent branch still succeeds, and the run fails.
        await _page.ClickAsync("a[href='#/']");
        var failed = await StartRunAsync(DashboardHost.FailingPipeline, "{}");
        await ExpectTask("break", "Failed", Red);
        await ExpectTask("publish", "Cancelled", Amber);
        await ExpectTask("notify", "Cancelled", Amber);
        await ExpectTask("prepare", "Succeeded", Green);
        await ExpectTask("side", "Succeeded", Green);
        await Expect(_page.Locator("#run-status")).ToHaveTextAsync("Failed");
        await Expect(_page.Locator("#task-results tbody tr[data-task='break']")).ToContainTextAsync(DashboardHost.FailureMessage);
        await Expect(_page.Locator("#run-log tbody tr").First).ToBeVisibleAsync();
        await ScreenshotAsync("run-failed");

        // Back on the home page, the recent runs list both, newest first, with their final status.
        await _page.ClickAsync("a[href='#/']");
        await Expect(Run(succeeded)).ToContainTextAsync(DashboardHost.SucceedingPipeline);
        await Expect(Run(succeeded).Locator(".status")).ToHaveTextAsync("Succeeded");
        await Expect(Run(failed)).ToContainTextAsync(DashboardHost.FailingPipeline);
        await Expect(Run(failed).Locator(".status")).ToHaveTextAsync("Failed");
        await Expect(_page.Locator("#runs tbody tr").First).ToHaveAttributeAsync("data-run", failed);
        await ScreenshotAsync("runs");

        Assert.True(_pageErrors.Count == 0, "the page reported errors:\n" + string.Join('\n', _pageErrors));
    }

    [Fact]
    public async Task SuspendAndResumeButtons_HoldTheRunShowItSuspendedThenItFinishes()
    {
        await _page.GotoAsync(_host.Address.ToString());
        await StartRunAsync(DashboardHost.SucceedingPipeline, """{ "items": [1, 2, 3, 4, 5, 6, 7, 8] }""");
        await ExpectTask("process", "Running", Blue);

        await _page.ClickAsync("#suspend-button");

        await Expect(_page.Locator("#run-status")).ToHaveTextAsync("Suspended");
        await Expect(_page.Locator("#run-status")).ToHaveCSSAsync("background-color", Purple);
        await Expect(_page.Locator("#resume-button")).ToBeVisibleAsync();
        await Expect(_page.Locator("#suspend-button")).ToBeHiddenAsync();
        await Expect(_page.Locator("#cancel-button")).ToBeVisibleAsync();
        await ScreenshotAsync("run-suspended");

        await _page.ClickAsync("#resume-button");

        await Expect(_page.Locator("#run-status")).ToHaveTextAsync("Succeeded");
        await ExpectTask("process", "Succeeded", Green);
        await Expect(Task("process")).ToContainTextAsync("8/8 ok");
        await Expect(_page.Locator("#run-log tbody tr", new PageLocatorOptions { HasText = "Suspended" })).ToHaveCountAsync(1);
        await Expect(_page.Locator("#run-log tbody tr", new PageLocatorOptions { HasText = "Resumed" })).ToHaveCountAsync(1);
        await Expect(_page.Locator("#resume-button")).ToBeHiddenAsync();
        Assert.True(_pageErrors.Count == 0, "the page reported errors:\n" + string.Join('\n', _pageErrors));
    }

    [Fact]
    public async Task ApprovalThenRetryThenRerun_FromTheRunPage()
    {
        await _page.GotoAsync(_host.Address.ToString());
        var runId = await StartRunAsync(DashboardHost.OperatorPipeline, """{ "items": [1, 2, 3] }""");
        await Expect(_page.Locator("#event-box")).ToBeVisibleAsync();
        await Expect(_page.Locator("#event-name")).ToHaveValueAsync("release");

        await _page.FillAsync("#event-body", """{ "approved": true }""");
        await _page.ClickAsync("#event-button");

        await Expect(_page.Locator("#action-done")).ToHaveTextAsync("event release sent");
        var waiting = _page.Locator("#waiting tbody tr[data-result='0/load/1']");
        await Expect(waiting).ToContainTextAsync("row 2 is malformed");
        await Expect(_page.Locator("#waiting-count")).ToHaveTextAsync("1");
        await Expect(_page.Locator("#waiting-count")).ToHaveCSSAsync("background-color", Orange);
        await ExpectTask("load", "Waiting", Peach);
        await ScreenshotAsync("run-waiting-for-an-operator");

        await _page.FillAsync("#repair-by", "ann");
        await _page.FillAsync("#repair-body", """{ "config": { "items": [] } }""");
        await waiting.Locator("button[data-action='retry']").ClickAsync();

        await Expect(_page.Locator("#run-status")).ToHaveTextAsync("Succeeded");
        await Expect(_page.Locator("#waiting-box")).ToBeHiddenAsync();
        await Expect(_page.Locator("#event-box")).ToBeHiddenAsync();
        await Expect(Task("load")).ToContainTextAsync("3/3 ok");
        await Expect(_page.Locator("#run-log tbody tr", new PageLocatorOptions { HasText = "RetriedByOperator by ann" })).ToHaveCountAsync(1);
        await Expect(_page.Locator("#task-results tbody tr[data-task='approve']")).ToContainTextAsync("Succeeded");

        await _page.ClickAsync("#rerun-button");

        await Expect(_page.Locator("#run-id")).Not.ToHaveTextAsync(runId);
        await Expect(_page.Locator("#run-status")).ToHaveTextAsync("Succeeded");
        await Expect(_page.Locator("#run-log tbody tr", new PageLocatorOptions { HasText = "Reused" }).First).ToBeVisibleAsync();
        Assert.True(_pageErrors.Count == 0, "the page reported errors:\n" + string.Join('\n', _pageErrors));
    }

    /// <summary>Fills the home page's form, clicks Start, and returns the run id of the run page it lands on.</summary>
    private async Task<string> StartRunAsync(string pipeline, string input)
    {
        await _page.SelectOptionAsync("#start-pipeline", pipeline);
        await _page.FillAsync("#start-input", input);
        await _page.ClickAsync("#start-button");
        await Expect(_page).ToHaveURLAsync(RunPageUrl());
        var runId = await _page.Locator("#run-id").TextContentAsync();
        Assert.False(string.IsNullOrEmpty(runId));
        await Expect(_page.Locator("svg.dag g.task").First).ToBeVisibleAsync();
        return runId;
    }

    private async Task ExpectTask(string task, string status, string fill)
    {
        await Expect(Task(task)).ToHaveAttributeAsync("data-status", status);
        await Expect(Task(task)).ToHaveClassAsync($"task {status}");
        await Expect(Task(task).Locator("rect")).ToHaveCSSAsync("fill", fill);
    }

    private ILocator Task(string name) => _page.Locator($"svg.dag g.task[data-task='{name}']");

    private ILocator Run(string runId) => _page.Locator($"#runs tbody tr[data-run='{runId}']");

    private async Task ScreenshotAsync(string name)
    {
        var path = Path.Combine(AppContext.BaseDirectory, "screenshots", name + ".png");
        await _page.ScreenshotAsync(new PageScreenshotOptions { Path = path, FullPage = true });
        output.WriteLine($"screenshot: {path}");
    }

    [GeneratedRegex("#/runs/.+$")]
    private static partial Regex RunPageUrl();
}
