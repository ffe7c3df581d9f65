using System.Net;
using System.Text.Json;
using LeakGuard.AspNetCore.Security;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.Time.Testing;
using NUnit.Framework;

namespace LeakGuard.Tests.AspNetCore;

public sealed class AccessPolicyTests
{
    private static readonly IPAddress Remote = IPAddress.Parse("203.0.113.7");

    [TestCase("/leakguard")]
    [TestCase("/leakguard/api/status")]
    [TestCase("/leakguard/api/series?signal=managed_heap")]
    [TestCase("/leakguard/api/reports")]
    public async Task A_remote_client_without_authorization_gets_403_saying_how_to_open_it(string path)
    {
        await using var host = await DashboardTestHost.StartAsync(new FakeLeakMonitor(), new FakeTimeProvider(DashboardTestHost.Start), Remote);

        var response = await host.Client.GetAsync(path);
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Forbidden));
        Assert.That(json.RootElement.GetProperty("error").GetString(), Does.Contain(".RequireAuthorization(").And.Contain("AllowRemote = true"));
    }

    [Test]
    public async Task A_remote_client_cannot_start_an_investigation()
    {
        var monitor = new FakeLeakMonitor();
        await using var host = await DashboardTestHost.StartAsync(monitor, new FakeTimeProvider(DashboardTestHost.Start), Remote);

        var response = await host.Client.PostAsync("/leakguard/api/investigate", null);

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Forbidden));
        Assert.That(monitor.InvestigationsStarted, Is.Zero);
    }

    [TestCase("127.0.0.1")]
    [TestCase("::1")]
    [TestCase("::ffff:127.0.0.1")]
    public async Task A_loopback_client_is_answered(string address)
    {
        await using var host = await DashboardTestHost.StartAsync(new FakeLeakMonitor(), new FakeTimeProvider(DashboardTestHost.Start), IPAddress.Parse(address));

        var response = await host.Client.GetAsync("/leakguard/api/status");

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
    }

    [Test]
    public async Task AllowRemote_opens_the_dashboard_to_remote_clients()
    {
        await using var host = await DashboardTestHost.StartAsync(
            new FakeLeakMonitor(), new FakeTimeProvider(DashboardTestHost.Start), Remote, configure: o => o.AllowRemote = true);

        var response = await host.Client.GetAsync("/leakguard/api/status");

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
    }

    [Test]
    public async Task A_request_forwarded_by_a_local_proxy_counts_as_remote()
    {
        await using var host = await DashboardTestHost.StartAsync(new FakeLeakMonitor(), new FakeTimeProvider(DashboardTestHost.Start), IPAddress.Loopback);
        using var request = new HttpRequestMessage(HttpMethod.Get, "/leakguard/api/status");
        request.Headers.Add("X-Forwarded-For", "198.51.100.4");

        var response = await host.Client.SendAsync(request);

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Forbidden));
    }

    [Test]
    public async Task A_loopback_request_naming_a_foreign_host_is_refused_against_dns_rebinding()
    {
        await using var host = await DashboardTestHost.StartAsync(new FakeLeakMonitor(), new FakeTimeProvider(DashboardTestHost.Start), IPAddress.Loopback);
        using var request = new HttpRequestMessage(HttpMethod.Get, "/leakguard/api/status");
        request.Headers.Host = "attacker.example:8080";

        var response = await host.Client.SendAsync(request);

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Forbidden));
    }

    [Test]
    public async Task RequireAuthorization_without_credentials_answers_401()
    {
        await using var host = await DashboardTestHost.StartAsync(
            new FakeLeakMonitor(), new FakeTimeProvider(DashboardTestHost.Start), IPAddress.Loopback, requireAuthorization: true);

        var page = await host.Client.GetAsync("/leakguard");
        var status = await host.Client.GetAsync("/leakguard/api/status");
        var investigate = await host.Client.PostAsync("/leakguard/api/investigate", null);

        Assert.That(page.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
        Assert.That(status.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
        Assert.That(investigate.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
    }

    [Test]
    public async Task RequireAuthorization_with_credentials_opens_it_to_remote_clients()
    {
        await using var host = await DashboardTestHost.StartAsync(
            new FakeLeakMonitor(), new FakeTimeProvider(DashboardTestHost.Start), Remote, requireAuthorization: true);
        using var request = new HttpRequestMessage(HttpMethod.Get, "/leakguard/api/status");
        request.Headers.Add("Authorization", "Test ok");

        var response = await host.Client.SendAsync(request);

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
    }

    [Test]
    public async Task MapLeakGuard_without_AddLeakGuard_fails_at_startup_with_a_clear_message()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseTestServer();
        await using var app = builder.Build();

        var error = Assert.Throws<InvalidOperationException>(() => app.MapLeakGuard());

        Assert.That(error!.Message, Does.Contain("AddLeakGuard()"));
    }

    [TestCase("localhost", true)]
    [TestCase("LOCALHOST", true)]
    [TestCase("app.localhost", true)]
    [TestCase("127.0.0.1", true)]
    [TestCase("127.1.2.3", true)]
    [TestCase("[::1]", true)]
    [TestCase("10.0.0.5", false)]
    [TestCase("localhost.evil.example", false)]
    [TestCase("", false)]
    public void Loopback_hosts_are_recognised(string host, bool expected) =>
        Assert.That(ClientAccessPolicy.IsLoopbackHost(host), Is.EqualTo(expected));

    [TestCase("GET", "/leakguard", HttpStatusCode.Forbidden, "203.0.113.7")]
    [TestCase("POST", "/leakguard", HttpStatusCode.MethodNotAllowed, "127.0.0.1")]
    [TestCase("GET", "/leakguard/api/investigate", HttpStatusCode.MethodNotAllowed, "127.0.0.1")]
    [TestCase("DELETE", "/leakguard/api/status", HttpStatusCode.MethodNotAllowed, "127.0.0.1")]
    [TestCase("PUT", "/leakguard/api/reports/latest", HttpStatusCode.MethodNotAllowed, "127.0.0.1")]
    [TestCase("PUT", "/leakguard/api/status", HttpStatusCode.Forbidden, "203.0.113.7")]
    public async Task Refusals_carry_the_security_headers_of_every_answer(string method, string path, HttpStatusCode expected, string client)
    {
        await using var host = await DashboardTestHost.StartAsync(new FakeLeakMonitor(), new FakeTimeProvider(DashboardTestHost.Start), IPAddress.Parse(client));

        using var response = await host.Client.SendAsync(new HttpRequestMessage(new HttpMethod(method), path));
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());

        Assert.That(response.StatusCode, Is.EqualTo(expected));
        Assert.That(response.Headers.CacheControl?.NoStore, Is.True);
        Assert.That(response.Headers.GetValues("X-Content-Type-Options"), Is.EqualTo(new[] { "nosniff" }));
        Assert.That(json.RootElement.GetProperty("error").GetString(), Is.Not.Empty);
    }

    [Test]
    public async Task A_method_that_is_not_allowed_gets_405_naming_the_allowed_ones()
    {
        await using var host = await DashboardTestHost.StartAsync(new FakeLeakMonitor(), new FakeTimeProvider(DashboardTestHost.Start));

        using var response = await host.Client.GetAsync("/leakguard/api/investigate");

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.MethodNotAllowed));
        Assert.That(response.Content.Headers.Allow, Is.EqualTo(new[] { "POST" }));
    }

    [Test]
    public async Task HEAD_on_the_page_answers_its_headers_without_a_body()
    {
        await using var host = await DashboardTestHost.StartAsync(new FakeLeakMonitor(), new FakeTimeProvider(DashboardTestHost.Start));

        using var response = await host.Client.SendAsync(new HttpRequestMessage(HttpMethod.Head, "/leakguard"));

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(response.Content.Headers.ContentType?.MediaType, Is.EqualTo("text/html"));
        Assert.That(response.Headers.CacheControl?.NoStore, Is.True);
        Assert.That(await response.Content.ReadAsByteArrayAsync(), Is.Empty);
    }

    [TestCase("localhost.")]
    [TestCase("LOCALHOST.:5000")]
    [TestCase("app.localhost.")]
    public async Task A_loopback_client_naming_localhost_fully_qualified_is_answered(string hostHeader)
    {
        await using var host = await DashboardTestHost.StartAsync(new FakeLeakMonitor(), new FakeTimeProvider(DashboardTestHost.Start), IPAddress.Loopback);
        using var request = new HttpRequestMessage(HttpMethod.Get, "/leakguard/api/status");
        request.Headers.Host = hostHeader;

        using var response = await host.Client.SendAsync(request);

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
    }

    [Test]
    public void A_loopback_client_without_a_host_header_is_local()
    {
        var context = new Microsoft.AspNetCore.Http.DefaultHttpContext();
        context.Connection.RemoteIpAddress = IPAddress.Loopback;

        Assert.That(ClientAccessPolicy.IsLoopbackClient(context), Is.True);
    }

    [TestCase("localhost.evil.example")]
    [TestCase("localhost..")]
    [TestCase(".")]
    public void Names_that_merely_resemble_localhost_are_not_loopback(string host) =>
        Assert.That(ClientAccessPolicy.IsLoopbackHost(host), Is.False);
}
