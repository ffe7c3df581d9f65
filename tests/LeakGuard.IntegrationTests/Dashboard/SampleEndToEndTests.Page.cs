using System.Globalization;
using System.Text.Json;
using LeakGuard.IntegrationTests.Dashboard;
using Microsoft.Playwright;
using NUnit.Framework;

namespace LeakGuard.IntegrationTests.Prometheus;

/// <summary>The running sample's dashboard page in headless Chromium, while its cache leaks.</summary>
public sealed partial class SampleEndToEndTests
{
    [Test]
    public async Task Dashboard_of_the_leaking_sample_charts_judges_and_explains_the_leak()
    {
        // Skip before waiting minutes for the leak when Chromium is missing.
        HeadlessChromium.SkipWhenAbsent();
        await SuspicionAsync();

        // The monitor investigates on suspicion (Snapshots:Mode OnSuspicion, Delay 10 s in the sample's settings).
        var reportType = await Eventually.ReturnsAsync(
            async () =>
            {
                using var status = JsonDocument.Parse(await _sample!.Client.GetStringAsync("/leakguard/api/status"));
                var latest = status.RootElement.GetProperty("latestReport");
                return latest.ValueKind == JsonValueKind.Object ? latest.GetProperty("topType").GetString() : null;
            },
            DetectionDeadline,
            () => $"no leak report appeared. Verdicts:\n{Status()}\nSample output (tail):\n{Tail(_sample!.Output)}",
            TimeSpan.FromSeconds(1));
        var (playwright, browser) = await HeadlessChromium.LaunchAsync();
        using var _ = playwright;
        await using var __ = browser;
        var page = await browser.NewPageAsync(new BrowserNewPageOptions { ViewportSize = new ViewportSize { Width = 1280, Height = 900 } });

        await page.GotoAsync($"http://127.0.0.1:{_sample!.Port}/leakguard#5m");
        await page.WaitForSelectorAsync("body[data-loaded=true]");
        await page.WaitForSelectorAsync("#growing-types .type-name");
        // The page refreshes itself; the verdict may need a refresh or two after the report.
        var row = await page.WaitForSelectorAsync(
            "#verdicts tr[data-signal=managed_heap][data-state=Leaking], #verdicts tr[data-signal=managed_heap][data-state=Suspected]",
            new PageWaitForSelectorOptions { Timeout = (float)DetectionDeadline.TotalMilliseconds });
        var points = await page.GetAttributeAsync("svg[data-signal=managed_heap]", "data-points");
        var state = await row!.GetAttributeAsync("data-state");
        var types = await page.Locator("#growing-types .type-name").AllTextContentsAsync();
        await HeadlessChromium.ScreenshotAsync(page, "dashboard-sample-leaking.png");

        Assert.That(int.Parse(points!, CultureInfo.InvariantCulture), Is.GreaterThan(10), "the managed heap chart has data points");
        Assert.That(state, Is.AnyOf("Suspected", "Leaking"));
        Assert.That(types, Does.Contain(reportType));
        Assert.That(types, Has.Some.Contains("CachedReport"), "the report names the type the cache leaks");
    }
}
