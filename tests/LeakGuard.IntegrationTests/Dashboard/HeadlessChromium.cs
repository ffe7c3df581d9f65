using LeakGuard.IntegrationTests.Hygiene;
using Microsoft.Playwright;
using NUnit.Framework;

namespace LeakGuard.IntegrationTests.Dashboard;

/// <summary>Starts Debian's Chromium through Playwright (no browser download), or skips the test when it is not installed.</summary>
internal static class HeadlessChromium
{
    public static string SkipWhenAbsent() => ExternalTool.Require("chromium", "chromium");

    public static async Task<(IPlaywright Playwright, IBrowser Browser)> LaunchAsync()
    {
        var executable = SkipWhenAbsent();
        var playwright = await Playwright.CreateAsync();
        var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = executable,
            Headless = true,
            ChromiumSandbox = false,
            Args =
            [
                "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
                "--disable-component-update", "--disable-sync",
            ],
        });
        return (playwright, browser);
    }

    public static async Task<string> ScreenshotAsync(IPage page, string name)
    {
        var path = Path.Combine(RepositoryPaths.Artifacts("screenshots"), name);
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = path, FullPage = true });
        TestContext.AddTestAttachment(path, name);
        return path;
    }
}
