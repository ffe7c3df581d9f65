using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Playwright;
using NUnit.Framework;

namespace LeakGuard.IntegrationTests.Dashboard;

/// <summary>
/// The dashboard page in a real headless Chromium, served by a real Kestrel on 127.0.0.1 over a synthetic leaking
/// history: what a user sees. The end-to-end test against the running sample is in SampleEndToEndTests.
/// </summary>
[NonParallelizable]
public sealed class DashboardPageBrowserTests
{
    private WebApplication? _app;
    private SyntheticLeakMonitor _monitor = null!;
    private IPlaywright? _playwright;
    private IBrowser? _browser;
    private string _url = "";

    [OneTimeSetUp]
    public async Task StartAsync()
    {
        (_playwright, _browser) = await HeadlessChromium.LaunchAsync();
        _monitor = new SyntheticLeakMonitor(DateTimeOffset.UtcNow);
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(k => k.Listen(IPAddress.Loopback, 0));
        builder.Services.AddSingleton<ILeakMonitor>(_monitor);
        _app = builder.Build();
        _app.MapLeakGuard("/leakguard");
        await _app.StartAsync();
        var address = _app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        _url = address.TrimEnd('/') + "/leakguard";
    }

    [OneTimeTearDown]
    public async Task StopAsync()
    {
        if (_browser is not null)
        {
            await _browser.CloseAsync();
        }

        _playwright?.Dispose();
        if (_app is not null)
        {
            await _app.DisposeAsync();
        }
    }

    [Test]
    public async Task Page_charts_the_leak_lists_the_verdict_and_names_the_growing_type()
    {
        var page = await _browser!.NewPageAsync(new BrowserNewPageOptions { ViewportSize = new ViewportSize { Width = 1280, Height = 900 }, ColorScheme = ColorScheme.Light });
        await page.GotoAsync(_url);
        await page.WaitForSelectorAsync("body[data-loaded=true]");

        var points = await page.GetAttributeAsync("svg[data-signal=managed_heap] polyline.floor", "data-count");
        var trend = await page.Locator("svg[data-signal=managed_heap] polyline.trend").CountAsync();
        var limitLine = await page.Locator("svg[data-signal=process_memory] line.limit").CountAsync();
        var heapRow = page.Locator("#verdicts tr[data-signal=managed_heap]");
        var growingTypes = await page.Locator("#growing-types .type-name").AllTextContentsAsync();
        var paths = await page.Locator("#growing-types .paths").First.TextContentAsync();
        var allocatedAt = await page.Locator("#growing-types details.allocations summary").First.TextContentAsync();
        var generated = await page.Locator("#generated-assemblies").TextContentAsync();
        var generatedPattern = await page.Locator("#generated-assemblies + p.pattern").TextContentAsync();
        var typePattern = await page.Locator("#growing-types tr.pattern").First.TextContentAsync();
        var holdersOpen = await page.Locator("#growing-types details.holders").First.GetAttributeAsync("open");
        await HeadlessChromium.ScreenshotAsync(page, "dashboard-laptop-light.png");

        Assert.That(generated, Does.Contain("+300 between the snapshots").And.Contain("340 dynamic").And.EndWith("newest: Microsoft.GeneratedCode ×10"));
        Assert.That(generatedPattern, Does.Contain("(xml-serializer-per-call) · fix: Build the serializer once"));

        Assert.That(int.Parse(points!, System.Globalization.CultureInfo.InvariantCulture), Is.GreaterThan(100));
        Assert.That(trend, Is.EqualTo(1), "the projected trend line of the leaking heap");
        Assert.That(limitLine, Is.EqualTo(1), "RSS is charted against the memory limit");
        Assert.That(await heapRow.GetAttributeAsync("data-state"), Is.EqualTo("Leaking"));
        Assert.That(await heapRow.TextContentAsync(), Does.Contain("/min").Or.Contain("/h"));
        Assert.That(await page.Locator("#overall").TextContentAsync(), Is.EqualTo("Leaking"));
        Assert.That(growingTypes, Does.Contain(SyntheticLeakMonitor.GrowingType));
        Assert.That(paths, Does.Contain("static field MyShop.Sessions.SessionStore.Sessions"));
        Assert.That(typePattern, Does.Contain("Dictionary or list in a static field used as a cache (static-collection-as-cache) · fix: Bound it: use MemoryCache with SizeLimit"));
        Assert.That(typePattern, Does.Match("signature lg1-[0-9A-F]{16}"));
        Assert.That(holdersOpen, Is.Not.Null, "the top type's holders are shown open, its pattern row above them notwithstanding");
        Assert.That(allocatedAt, Does.Contain("allocated at MyShop!MyShop.Sessions.SessionStore.Open(class System.Guid) 94 %"));
    }

    [TestCase("15m")]
    [TestCase("24h")]
    public async Task Every_chart_is_filled_edge_to_edge_with_markers_and_the_report_list(string horizon)
    {
        var page = await _browser!.NewPageAsync(new BrowserNewPageOptions { ViewportSize = new ViewportSize { Width = 1280, Height = 900 }, ColorScheme = ColorScheme.Light });
        await page.GotoAsync(_url + "#" + horizon);
        await page.WaitForSelectorAsync("body[data-loaded=true]");
        await page.WaitForSelectorAsync("svg[data-signal=orders_cache][data-coverage]");

        var coverage = await page.EvaluateAsync<Dictionary<string, string>>(
            "() => Object.fromEntries([...document.querySelectorAll('#charts svg')].map(s => [s.dataset.signal, s.dataset.coverage || '0']))");
        var axisBottoms = await page.Locator("svg[data-signal=managed_heap] text").AllTextContentsAsync();
        var markers = await page.Locator("svg[data-signal=managed_heap] line.marker").CountAsync();
        var stableTimeToLimit = await page.Locator("#verdicts tr[data-signal=gc_handles] td").Nth(3).TextContentAsync();
        var why = await page.Locator("#verdicts tr[data-signal=managed_heap] details.why summary").TextContentAsync();
        var reportRows = await page.Locator("#report-list tbody tr[data-report]").CountAsync();
        var download = await page.Locator("#report-list a.download").First.GetAttributeAsync("href");
        var shot = await HeadlessChromium.ScreenshotAsync(page, $"dashboard-{horizon}.png");
        TestContext.Out.WriteLine($"{shot}: coverage {string.Join(", ", coverage.Select(c => $"{c.Key} {c.Value}"))}");

        Assert.That(coverage.Keys, Is.SupersetOf(new[] { "process_memory", "managed_heap", "native_memory", "gen2", "loh", "threads", "gc_handles", "timers", "loaded_assemblies", "orders_cache" }));
        Assert.That(coverage.Values.Select(v => double.Parse(v, System.Globalization.CultureInfo.InvariantCulture)), Has.All.GreaterThanOrEqualTo(0.97), "each chart spans its whole horizon");
        Assert.That(axisBottoms, Does.Contain("0 B"), "the heap's axis starts at zero");
        Assert.That(markers, Is.GreaterThanOrEqualTo(horizon == "15m" ? 3 : 5), "the Leaking change and the heap snapshots");
        Assert.That(stableTimeToLimit, Is.EqualTo("–"), "a stable signal projects no time to the limit");
        Assert.That(why, Does.StartWith("Leaking: growing steadily"));
        Assert.That(reportRows, Is.EqualTo(2));
        Assert.That(download, Does.EndWith("/leakguard/api/reports/" + LeakGuard.AspNetCore.Json.ReportId.Of(_monitor.Reports[^1])));
    }

    [Test]
    public async Task Page_is_readable_on_a_phone_in_dark_mode()
    {
        var page = await _browser!.NewPageAsync(new BrowserNewPageOptions
        {
            ViewportSize = new ViewportSize { Width = 390, Height = 844 }, ColorScheme = ColorScheme.Dark, IsMobile = true, DeviceScaleFactor = 2,
        });
        await page.GotoAsync(_url);
        await page.WaitForSelectorAsync("body[data-loaded=true]");

        var overflow = await page.EvaluateAsync<int>("() => document.documentElement.scrollWidth - window.innerWidth");
        var background = await page.EvaluateAsync<string>("() => getComputedStyle(document.body).backgroundColor");
        await HeadlessChromium.ScreenshotAsync(page, "dashboard-phone-dark.png");

        Assert.That(overflow, Is.LessThanOrEqualTo(0), "no sideways scrolling of the whole page (wide tables scroll inside their card)");
        Assert.That(background, Is.EqualTo("rgb(15, 18, 22)"), "the dark palette");
    }

    [Test]
    public async Task A_report_with_native_evidence_shows_its_finding_and_mapping_classes()
    {
        var page = await _browser!.NewPageAsync();
        await page.GotoAsync(_url);
        await page.WaitForSelectorAsync("body[data-loaded=true]");
        var manual = LeakGuard.AspNetCore.Json.ReportId.Of(_monitor.Reports[0]);

        await page.ClickAsync($"#report-list button[data-report='{manual}']");
        await page.WaitForSelectorAsync("#native-finding");

        var finding = await page.TextContentAsync("#native-finding");
        var classes = await page.Locator("#native-mappings tr.mapping-class").AllTextContentsAsync();
        var details = await page.Locator("#native-finding + p").TextContentAsync();
        Assert.Multiple(() =>
        {
            Assert.That(finding, Does.Contain("malloc in use +180 MiB"));
            Assert.That(classes, Has.Count.EqualTo(2));
            Assert.That(classes[0], Does.StartWith("mallocArenas").And.Contain("+181 MiB"));
            Assert.That(details, Does.Contain("malloc in use 200 MiB (+180 MiB)").And.Contain("threads 24 → 24"));
        });
    }

    [Test]
    public async Task Page_requests_nothing_outside_its_own_origin()
    {
        var page = await _browser!.NewPageAsync();
        var requests = new List<string>();
        page.Request += (_, request) => requests.Add(request.Url);
        var violations = new List<string>();
        page.Console += (_, message) =>
        {
            if (message.Text.Contains("Content Security Policy", StringComparison.Ordinal))
            {
                violations.Add(message.Text);
            }
        };
        await page.GotoAsync(_url);
        await page.WaitForSelectorAsync("body[data-loaded=true]");

        var origin = new Uri(_url).GetLeftPart(UriPartial.Authority);
        Assert.That(requests, Is.Not.Empty);
        Assert.That(requests, Has.All.StartWith(origin + "/leakguard").Or.StartWith("data:"));
        Assert.That(violations, Is.Empty, "the inline script and style run under the page's CSP hashes");
    }

    [Test]
    public async Task Investigate_now_posts_and_reports_that_the_investigation_started()
    {
        var page = await _browser!.NewPageAsync();
        await page.GotoAsync(_url);
        await page.WaitForSelectorAsync("body[data-loaded=true]");
        var before = _monitor.Investigations;

        await page.ClickAsync("#investigate");
        await page.WaitForSelectorAsync("#message:has-text('Investigation started')");

        Assert.That(() => _monitor.Investigations, Is.EqualTo(before + 1).After(10_000, 20), "the monitor's InvestigateAsync ran");
        Assert.That(await page.TextContentAsync("#message"), Does.Contain("second in 30 s"));
    }
}
