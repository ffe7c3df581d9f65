using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using LeakGuard.AspNetCore.Page;
using Microsoft.Extensions.Time.Testing;
using NUnit.Framework;

namespace LeakGuard.Tests.AspNetCore;

public sealed class DashboardPageTests
{
    [Test]
    public async Task Page_is_html_that_loads_nothing_from_outside()
    {
        await using var host = await DashboardTestHost.StartAsync(new FakeLeakMonitor(), new FakeTimeProvider(DashboardTestHost.Start));

        var response = await host.Client.GetAsync("/leakguard");
        var html = await response.Content.ReadAsStringAsync();

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(response.Content.Headers.ContentType?.MediaType, Is.EqualTo("text/html"));
        Assert.That(html, Does.Contain("<svg").Or.Contain("svg:svg"));
        // The only absolute URL is the SVG namespace, which is a name, not a request.
        var urls = Regex.Matches(html, @"https?://[^\s""'<>)]+").Select(m => m.Value).Distinct().ToArray();
        Assert.That(urls, Is.EquivalentTo(new[] { "http://www.w3.org/2000/svg" }));
        Assert.That(html, Does.Not.Match(@"<(script|link|img|iframe)[^>]+(src|href)=""(?!data:)"));
    }

    [Test]
    public async Task Page_content_security_policy_forbids_other_origins()
    {
        await using var host = await DashboardTestHost.StartAsync(new FakeLeakMonitor(), new FakeTimeProvider(DashboardTestHost.Start));

        var response = await host.Client.GetAsync("/leakguard/");
        var csp = response.Headers.GetValues("Content-Security-Policy").Single();

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(csp, Does.StartWith("default-src 'none'; connect-src 'self'"));
        Assert.That(csp, Does.Not.Contain("unsafe-inline"));
        Assert.That(response.Headers.CacheControl?.NoStore, Is.True);
    }

    [Test]
    public void Page_policy_admits_exactly_the_inline_script_and_style()
    {
        var page = DashboardPage.Load(TimeSpan.FromSeconds(5));
        var html = Encoding.UTF8.GetString(page.Html.Span);

        foreach (var tag in new[] { "script", "style" })
        {
            var hash = Convert.ToBase64String(SHA256.HashData(Encoding.UTF8.GetBytes(DashboardPage.InlineBlock(html, tag))));
            Assert.That(page.ContentSecurityPolicy, Does.Contain($"{tag}-src 'sha256-{hash}'"), tag);
        }
    }

    [Test]
    public void Page_carries_the_configured_refresh_interval()
    {
        var page = DashboardPage.Load(TimeSpan.FromSeconds(2));

        Assert.That(Encoding.UTF8.GetString(page.Html.Span), Does.Contain("data-refresh-ms=\"2000\""));
    }
}
