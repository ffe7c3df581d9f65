using System.Net;
using System.Text.Json;
using LeakGuard.Sources;
using Microsoft.Extensions.Time.Testing;
using NUnit.Framework;

namespace LeakGuard.Tests.AspNetCore;

public sealed class SeriesEndpointTests
{
    [Test]
    public async Task Series_returns_the_buckets_inside_the_horizon_and_the_projected_trend()
    {
        var time = new FakeTimeProvider(DashboardTestHost.Start);
        var monitor = new FakeLeakMonitor();
        monitor.Series[LeakSignals.ManagedHeap] = Enumerable.Range(0, 120)
            .Select(i => new SignalPoint { Timestamp = DashboardTestHost.Start - TimeSpan.FromMinutes(120 - i), Min = 1e6 + i, Max = 2e6 + i, Last = 1.5e6 })
            .ToArray();
        monitor.SetVerdict(LeakSignals.ManagedHeap, LeakState.Leaking, DashboardTestHost.Start, rate: 100, current: 1e6 + 119, timeToLimit: TimeSpan.FromHours(1));
        await using var host = await DashboardTestHost.StartAsync(monitor, time);

        var response = await host.Client.GetAsync("/leakguard/api/series?signal=managed_heap&horizon=1h");
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var root = json.RootElement;
        var points = root.GetProperty("points").EnumerateArray().ToArray();

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(monitor.RequestedResolutions[0], Is.EqualTo(TimeSpan.FromSeconds(15)), "horizon / 240 first, then coarser");
        Assert.That(root.GetProperty("source").GetString(), Is.EqualTo("buckets"));
        Assert.That(root.GetProperty("horizonSeconds").GetDouble(), Is.EqualTo(3600));
        Assert.That(points, Has.Length.EqualTo(60), "buckets from -60 min to -1 min");
        Assert.That(points[0].GetProperty("t").GetDateTimeOffset(), Is.EqualTo(DashboardTestHost.Start - TimeSpan.FromHours(1)));
        Assert.That(points[^1].GetProperty("min").GetDouble(), Is.EqualTo(1e6 + 119));
        var trend = root.GetProperty("trend");
        Assert.That(trend.GetProperty("ratePerSecond").GetDouble(), Is.EqualTo(100));
        Assert.That(trend.GetProperty("limitReachedAt").GetDateTimeOffset(), Is.EqualTo(DashboardTestHost.Start + TimeSpan.FromHours(1)));
    }

    [Test]
    public async Task Series_prefers_raw_samples_while_buckets_are_still_filling()
    {
        var time = new FakeTimeProvider(DashboardTestHost.Start);
        var monitor = new FakeLeakMonitor();
        monitor.Series[LeakSignals.NativeMemory] = [new SignalPoint { Timestamp = DashboardTestHost.Start - TimeSpan.FromSeconds(10), Min = 5, Max = 5, Last = 5 }];
        for (var i = 0; i < 60; i++)
        {
            monitor.Samples.Add(new MemorySample
            {
                Timestamp = DashboardTestHost.Start - TimeSpan.FromSeconds(60 - i),
                GcIndex = 1 + i,
                ResidentSetBytes = 100_000_000 + i,
                CommittedBytes = 40_000_000,
            });
        }

        await using var host = await DashboardTestHost.StartAsync(monitor, time);

        using var json = JsonDocument.Parse(await host.Client.GetStringAsync("/leakguard/api/series?signal=native_memory&horizon=5m"));
        var root = json.RootElement;

        Assert.That(root.GetProperty("source").GetString(), Is.EqualTo("samples"));
        Assert.That(root.GetProperty("points").GetArrayLength(), Is.EqualTo(60));
        Assert.That(root.GetProperty("points")[0].GetProperty("min").GetDouble(), Is.EqualTo(60_000_000));
        Assert.That(root.GetProperty("trend").ValueKind, Is.EqualTo(JsonValueKind.Null));
    }

    [Test]
    public async Task Series_marks_the_verdict_change_and_the_heap_snapshots_inside_the_horizon()
    {
        var time = new FakeTimeProvider(DashboardTestHost.Start);
        var monitor = new FakeLeakMonitor();
        monitor.Series[LeakSignals.ManagedHeap] = [new SignalPoint { Timestamp = DashboardTestHost.Start - TimeSpan.FromMinutes(1), Min = 1, Max = 1, Last = 1 }];
        monitor.SetVerdict(LeakSignals.ManagedHeap, LeakState.Leaking, DashboardTestHost.Start, rate: 100, current: 1e6, timeToLimit: TimeSpan.FromMinutes(90));
        monitor.ReportList.Add(FakeLeakMonitor.Report("Old", DashboardTestHost.Start - TimeSpan.FromHours(2)));
        monitor.ReportList.Add(FakeLeakMonitor.Report("New", DashboardTestHost.Start - TimeSpan.FromMinutes(1)));
        await using var host = await DashboardTestHost.StartAsync(monitor, time);

        using var json = JsonDocument.Parse(await host.Client.GetStringAsync("/leakguard/api/series?signal=managed_heap&horizon=15m"));
        var markers = json.RootElement.GetProperty("markers").EnumerateArray()
            .Select(m => (T: m.GetProperty("t").GetDateTimeOffset(), Kind: m.GetProperty("kind").GetString(), Label: m.GetProperty("label").GetString()))
            .ToArray();

        Assert.That(markers, Is.EqualTo(new[]
        {
            (DashboardTestHost.Start - TimeSpan.FromMinutes(6), "snapshot", "heap snapshot"),
            (DashboardTestHost.Start - TimeSpan.FromMinutes(3), "verdict", "Leaking"),
            (DashboardTestHost.Start - TimeSpan.FromMinutes(1), "snapshot", "heap snapshot"),
        }), "the old report's snapshots are outside the 15 minutes");
        Assert.That(json.RootElement.GetProperty("trend").GetProperty("label").GetString(), Is.EqualTo("limit in 1 h 30 min"));
    }

    [Test]
    public async Task Series_marks_every_verdict_change_inside_the_horizon_not_only_the_latest()
    {
        var time = new FakeTimeProvider(DashboardTestHost.Start);
        var monitor = new FakeLeakMonitor();
        monitor.Series[LeakSignals.ManagedHeap] = [new SignalPoint { Timestamp = DashboardTestHost.Start - TimeSpan.FromMinutes(1), Min = 1, Max = 1, Last = 1 }];
        await using var host = await DashboardTestHost.StartAsync(monitor, time);

        LeakVerdict Change(string signal, LeakState state, double minutesAgo) => new()
        {
            Signal = signal,
            State = state,
            EvaluatedAt = DashboardTestHost.Start - TimeSpan.FromMinutes(minutesAgo),
            Since = DashboardTestHost.Start - TimeSpan.FromMinutes(minutesAgo),
            Reason = "test",
        };

        monitor.Changes.Publish(Change(LeakSignals.ManagedHeap, LeakState.Stable, 30));
        monitor.Changes.Publish(Change(LeakSignals.ManagedHeap, LeakState.Suspected, 12));
        monitor.Changes.Publish(Change(LeakSignals.ManagedHeap, LeakState.Stable, 9));
        monitor.Changes.Publish(Change(LeakSignals.Threads, LeakState.Leaking, 8));
        monitor.Changes.Publish(Change(LeakSignals.ManagedHeap, LeakState.Suspected, 5));
        var leaking = Change(LeakSignals.ManagedHeap, LeakState.Leaking, 2);
        monitor.Changes.Publish(leaking);
        monitor.VerdictMap[LeakSignals.ManagedHeap] = leaking;

        using var json = JsonDocument.Parse(await host.Client.GetStringAsync("/leakguard/api/series?signal=managed_heap&horizon=15m"));
        var markers = json.RootElement.GetProperty("markers").EnumerateArray()
            .Select(m => (T: m.GetProperty("t").GetDateTimeOffset(), Label: m.GetProperty("label").GetString()))
            .ToArray();

        Assert.That(markers, Is.EqualTo(new[]
        {
            (DashboardTestHost.Start - TimeSpan.FromMinutes(12), "Suspected"),
            (DashboardTestHost.Start - TimeSpan.FromMinutes(9), "Stable"),
            (DashboardTestHost.Start - TimeSpan.FromMinutes(5), "Suspected"),
            (DashboardTestHost.Start - TimeSpan.FromMinutes(2), "Leaking"),
        }), "the first Stable is no release and lies outside the horizon; the threads change is another signal's");
    }

    [TestCase("abc")]
    [TestCase("5x")]
    [TestCase("0m")]
    [TestCase("30s")]
    [TestCase("31d")]
    [TestCase("-5m")]
    [TestCase("1.5h")]
    public async Task Series_with_a_bad_horizon_answers_400_naming_horizon(string horizon)
    {
        await using var host = await DashboardTestHost.StartAsync(new FakeLeakMonitor(), new FakeTimeProvider(DashboardTestHost.Start));

        var response = await host.Client.GetAsync($"/leakguard/api/series?signal=managed_heap&horizon={Uri.EscapeDataString(horizon)}");
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
        Assert.That(json.RootElement.GetProperty("parameter").GetString(), Is.EqualTo("horizon"));
        Assert.That(json.RootElement.GetProperty("error").GetString(), Does.Contain("'horizon'"));
    }

    [TestCase("")]
    [TestCase("?signal=")]
    [TestCase("?signal=heap")]
    [TestCase("?signal=managed_heap%00")]
    public async Task Series_with_an_unknown_signal_answers_400_naming_signal(string query)
    {
        await using var host = await DashboardTestHost.StartAsync(new FakeLeakMonitor(), new FakeTimeProvider(DashboardTestHost.Start));

        var response = await host.Client.GetAsync("/leakguard/api/series" + query);
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
        Assert.That(json.RootElement.GetProperty("parameter").GetString(), Is.EqualTo("signal"));
        Assert.That(json.RootElement.GetProperty("error").GetString(), Does.Contain("'signal'").And.Contain("managed_heap"));
    }

    [Test]
    public async Task Series_accepts_a_watched_gauge_that_has_a_verdict()
    {
        var time = new FakeTimeProvider(DashboardTestHost.Start);
        var monitor = new FakeLeakMonitor();
        monitor.SetVerdict("sessions_cache", LeakState.Stable, time.GetUtcNow());
        await using var host = await DashboardTestHost.StartAsync(monitor, time);

        var response = await host.Client.GetAsync("/leakguard/api/series?signal=sessions_cache");

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
    }
}
