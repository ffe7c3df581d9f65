using System.Net;
using System.Text.Json;
using Microsoft.Extensions.Time.Testing;
using NUnit.Framework;

namespace LeakGuard.Tests.AspNetCore;

public sealed class InvestigateEndpointTests
{
    private const string Url = "/leakguard/api/investigate";

    [Test]
    public async Task Investigate_answers_202_and_runs_the_investigation_in_the_background()
    {
        var monitor = new FakeLeakMonitor();
        await using var host = await DashboardTestHost.StartAsync(monitor, new FakeTimeProvider(DashboardTestHost.Start));

        var response = await host.Client.PostAsync(Url, null);
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Accepted));
        Assert.That(json.RootElement.GetProperty("status").GetString(), Is.EqualTo("started"));
        Assert.That(json.RootElement.GetProperty("reports").GetString(), Is.EqualTo("/leakguard/api/reports"));
        Assert.That(json.RootElement.GetProperty("snapshotDelaySeconds").GetDouble(), Is.EqualTo(300));
        await Poll.UntilAsync(() => Volatile.Read(ref monitor.InvestigationsStarted) == 1);
    }

    [Test]
    public async Task Investigate_while_one_runs_answers_409()
    {
        var monitor = new FakeLeakMonitor();
        await using var host = await DashboardTestHost.StartAsync(monitor, new FakeTimeProvider(DashboardTestHost.Start));

        var first = await host.Client.PostAsync(Url, null);
        var second = await host.Client.PostAsync(Url, null);
        var status = JsonDocument.Parse(await host.Client.GetStringAsync("/leakguard/api/status"));

        Assert.That(first.StatusCode, Is.EqualTo(HttpStatusCode.Accepted));
        Assert.That(second.StatusCode, Is.EqualTo(HttpStatusCode.Conflict));
        Assert.That(await second.Content.ReadAsStringAsync(), Does.Contain("already running"));
        Assert.That(status.RootElement.GetProperty("investigating").GetBoolean(), Is.True);
        monitor.Investigation.SetResult(null);
    }

    [Test]
    public async Task Concurrent_requests_start_exactly_one_investigation()
    {
        var monitor = new FakeLeakMonitor();
        monitor.Options.Snapshots.Cooldown = TimeSpan.Zero;
        await using var host = await DashboardTestHost.StartAsync(monitor, new FakeTimeProvider(DashboardTestHost.Start));

        var responses = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => host.Client.PostAsync(Url, null)));

        Assert.That(responses.Count(r => r.StatusCode == HttpStatusCode.Accepted), Is.EqualTo(1));
        Assert.That(responses.Count(r => r.StatusCode == HttpStatusCode.Conflict), Is.EqualTo(7));
        monitor.Investigation.SetResult(null);
    }

    [Test]
    public async Task Investigate_while_the_monitor_investigates_on_its_own_answers_409()
    {
        var monitor = new FakeLeakMonitor { IsInvestigating = true };
        await using var host = await DashboardTestHost.StartAsync(monitor, new FakeTimeProvider(DashboardTestHost.Start));

        var response = await host.Client.PostAsync(Url, null);

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Conflict));
        Assert.That(monitor.InvestigationsStarted, Is.Zero);
    }

    [Test]
    public async Task Investigate_during_the_monitors_cooldown_answers_429_with_retry_after()
    {
        var monitor = new FakeLeakMonitor { SnapshotCooldownEndsAt = DashboardTestHost.Start + TimeSpan.FromSeconds(89.2) };
        await using var host = await DashboardTestHost.StartAsync(monitor, new FakeTimeProvider(DashboardTestHost.Start));

        var response = await host.Client.PostAsync(Url, null);
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.TooManyRequests));
        Assert.That(response.Headers.RetryAfter?.Delta, Is.EqualTo(TimeSpan.FromSeconds(90)));
        Assert.That(json.RootElement.GetProperty("retryAfterSeconds").GetDouble(), Is.EqualTo(90));
        Assert.That(json.RootElement.GetProperty("error").GetString(), Does.Contain("Snapshots:Cooldown"));
        Assert.That(monitor.InvestigationsStarted, Is.Zero);
    }

    [Test]
    public async Task Investigate_after_a_finished_request_honours_the_configured_cooldown()
    {
        var time = new FakeTimeProvider(DashboardTestHost.Start);
        var monitor = new FakeLeakMonitor();
        monitor.Options.Snapshots.Cooldown = TimeSpan.FromMinutes(10);
        monitor.Investigation.SetResult(null);
        await using var host = await DashboardTestHost.StartAsync(monitor, time);

        Assert.That((await host.Client.PostAsync(Url, null)).StatusCode, Is.EqualTo(HttpStatusCode.Accepted));
        await Poll.UntilAsync(async () => !JsonDocument.Parse(await host.Client.GetStringAsync("/leakguard/api/status")).RootElement.GetProperty("investigating").GetBoolean());
        time.Advance(TimeSpan.FromMinutes(4));
        var during = await host.Client.PostAsync(Url, null);
        time.Advance(TimeSpan.FromMinutes(6));
        var after = await host.Client.PostAsync(Url, null);

        Assert.That(during.StatusCode, Is.EqualTo(HttpStatusCode.TooManyRequests));
        Assert.That(during.Headers.RetryAfter?.Delta, Is.EqualTo(TimeSpan.FromMinutes(6)));
        Assert.That(after.StatusCode, Is.EqualTo(HttpStatusCode.Accepted));
    }

    [Test]
    public async Task Investigate_is_post_only()
    {
        var monitor = new FakeLeakMonitor();
        await using var host = await DashboardTestHost.StartAsync(monitor, new FakeTimeProvider(DashboardTestHost.Start));

        var response = await host.Client.GetAsync(Url);

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.MethodNotAllowed));
        Assert.That(monitor.InvestigationsStarted, Is.Zero);
    }

    [Test]
    public async Task Investigate_from_another_origin_is_refused()
    {
        var monitor = new FakeLeakMonitor();
        await using var host = await DashboardTestHost.StartAsync(monitor, new FakeTimeProvider(DashboardTestHost.Start));
        using var request = new HttpRequestMessage(HttpMethod.Post, Url);
        request.Headers.Add("Origin", "https://evil.example");

        var response = await host.Client.SendAsync(request);

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Forbidden));
        Assert.That(monitor.InvestigationsStarted, Is.Zero);
    }

    [Test]
    public async Task Investigate_from_the_pages_own_origin_is_accepted()
    {
        var monitor = new FakeLeakMonitor();
        await using var host = await DashboardTestHost.StartAsync(monitor, new FakeTimeProvider(DashboardTestHost.Start));
        using var request = new HttpRequestMessage(HttpMethod.Post, Url);
        request.Headers.Add("Origin", "http://localhost");

        var response = await host.Client.SendAsync(request);

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Accepted));
    }

    [Test]
    public async Task Investigate_with_snapshots_off_answers_409_naming_the_setting()
    {
        var monitor = new FakeLeakMonitor();
        monitor.Options.Snapshots.Mode = SnapshotMode.Off;
        await using var host = await DashboardTestHost.StartAsync(monitor, new FakeTimeProvider(DashboardTestHost.Start));

        var response = await host.Client.PostAsync(Url, null);

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Conflict));
        Assert.That(await response.Content.ReadAsStringAsync(), Does.Contain("Snapshots:Mode"));
    }

    [Test]
    public async Task A_failing_investigation_releases_the_gate_and_does_not_reach_the_host()
    {
        var monitor = new FakeLeakMonitor();
        monitor.Options.Snapshots.Cooldown = TimeSpan.Zero;
        monitor.Investigation.SetException(new InvalidOperationException("snapshot failed"));
        await using var host = await DashboardTestHost.StartAsync(monitor, new FakeTimeProvider(DashboardTestHost.Start));

        Assert.That((await host.Client.PostAsync(Url, null)).StatusCode, Is.EqualTo(HttpStatusCode.Accepted));
        await Poll.UntilAsync(async () => (await host.Client.PostAsync(Url, null)).StatusCode == HttpStatusCode.Accepted);
        await Poll.UntilAsync(() => Volatile.Read(ref monitor.InvestigationsStarted) >= 2);
    }
}
