using System.Net;
using System.Text.Json;
using Microsoft.Extensions.Time.Testing;
using NUnit.Framework;

namespace LeakGuard.Tests.AspNetCore;

public sealed class StatusEndpointTests
{
    [Test]
    public async Task Status_lists_verdicts_most_alarming_first_with_string_states_and_seconds()
    {
        var time = new FakeTimeProvider(DashboardTestHost.Start);
        var monitor = new FakeLeakMonitor();
        monitor.SetVerdict(LeakSignals.Threads, LeakState.Stable, time.GetUtcNow());
        monitor.SetVerdict(LeakSignals.ManagedHeap, LeakState.Leaking, time.GetUtcNow(), rate: 2048, current: 80e6, timeToLimit: TimeSpan.FromHours(2));
        monitor.VerdictMap[LeakSignals.ManagedHeap] = monitor.VerdictMap[LeakSignals.ManagedHeap].WithLimit(384L * 1024 * 1024, "gc_heap_limit", "gc_heap");
        monitor.SetVerdict(LeakSignals.Gen2, LeakState.Suspected, time.GetUtcNow(), rate: 1024, current: 60e6);
        await using var host = await DashboardTestHost.StartAsync(monitor, time);

        var response = await host.Client.GetAsync("/leakguard/api/status");
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var root = json.RootElement;
        var verdicts = root.GetProperty("verdicts").EnumerateArray().ToArray();

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(response.Content.Headers.ContentType?.MediaType, Is.EqualTo("application/json"));
        Assert.That(root.GetProperty("running").GetBoolean(), Is.True);
        Assert.That(root.GetProperty("memoryLimitBytes").GetInt64(), Is.EqualTo(512L * 1024 * 1024));
        Assert.That(root.GetProperty("snapshotMode").GetString(), Is.EqualTo("OnSuspicion"));
        Assert.That(verdicts.Select(v => v.GetProperty("signal").GetString()), Is.EqualTo(new[] { "managed_heap", "gen2", "threads" }));
        var heap = verdicts[0];
        Assert.That(heap.GetProperty("state").GetString(), Is.EqualTo("Leaking"));
        Assert.That(heap.GetProperty("unit").GetString(), Is.EqualTo("By"));
        Assert.That(heap.GetProperty("growthRatePerSecond").GetDouble(), Is.EqualTo(2048));
        Assert.That(heap.GetProperty("timeToLimitSeconds").GetDouble(), Is.EqualTo(7200));
        Assert.That(heap.GetProperty("limit").GetString(), Is.EqualTo("gc_heap_limit"));
        Assert.That(heap.GetProperty("limitBytes").GetInt64(), Is.EqualTo(384L * 1024 * 1024));
        Assert.That(heap.GetProperty("usage").GetString(), Is.EqualTo("gc_heap"));
        Assert.That(heap.GetProperty("horizonSeconds").GetDouble(), Is.EqualTo(600));
        Assert.That(heap.GetProperty("since").GetDateTimeOffset(), Is.EqualTo(DashboardTestHost.Start - TimeSpan.FromMinutes(3)));
        Assert.That(verdicts[2].GetProperty("unit").GetString(), Is.EqualTo("1"));
        Assert.That(verdicts[2].GetProperty("timeToLimitSeconds").ValueKind, Is.EqualTo(JsonValueKind.Null));
        Assert.That(root.GetProperty("latestReport").ValueKind, Is.EqualTo(JsonValueKind.Null));
    }

    [Test]
    public async Task Status_says_each_verdict_in_words_and_gives_a_stable_signal_no_time_to_the_limit()
    {
        var time = new FakeTimeProvider(DashboardTestHost.Start);
        var monitor = new FakeLeakMonitor();
        monitor.SetVerdict(LeakSignals.Threads, LeakState.Stable, time.GetUtcNow(), rate: 0.5, timeToLimit: TimeSpan.FromDays(1025));
        monitor.SetVerdict(LeakSignals.ManagedHeap, LeakState.Leaking, time.GetUtcNow(), rate: 614_700, current: 80e6, timeToLimit: TimeSpan.FromHours(6) + TimeSpan.FromMinutes(59.7));
        await using var host = await DashboardTestHost.StartAsync(monitor, time);

        using var json = JsonDocument.Parse(await host.Client.GetStringAsync("/leakguard/api/status"));
        var verdicts = json.RootElement.GetProperty("verdicts").EnumerateArray().ToDictionary(v => v.GetProperty("signal").GetString()!);

        var heap = verdicts["managed_heap"];
        Assert.That(heap.GetProperty("rateText").GetString(), Is.EqualTo("+35.2 MiB/min"));
        Assert.That(heap.GetProperty("timeToLimitText").GetString(), Is.EqualTo("7 h"), "never 6 h 60 min");
        Assert.That(heap.GetProperty("summary").GetString(), Is.EqualTo("Leaking: growing steadily over the last 10 min."));
        Assert.That(heap.GetProperty("reason").GetString(), Is.EqualTo("test verdict"), "the detector's words stay as the detail");
        var threads = verdicts["threads"];
        Assert.That(threads.GetProperty("rateText").GetString(), Is.EqualTo("+1,800/h"));
        Assert.That(threads.GetProperty("timeToLimitText").ValueKind, Is.EqualTo(JsonValueKind.Null));
        Assert.That(threads.GetProperty("summary").GetString(), Is.EqualTo("No steady growth."));
    }

    [Test]
    public async Task Status_writes_non_finite_numbers_as_null()
    {
        var time = new FakeTimeProvider(DashboardTestHost.Start);
        var monitor = new FakeLeakMonitor();
        monitor.SetVerdict(LeakSignals.GcPressure, LeakState.InsufficientData, time.GetUtcNow(), rate: double.NaN, current: double.PositiveInfinity);
        await using var host = await DashboardTestHost.StartAsync(monitor, time);

        using var json = JsonDocument.Parse(await host.Client.GetStringAsync("/leakguard/api/status"));
        var verdict = json.RootElement.GetProperty("verdicts")[0];

        Assert.That(verdict.GetProperty("growthRatePerSecond").ValueKind, Is.EqualTo(JsonValueKind.Null));
        Assert.That(verdict.GetProperty("currentValue").ValueKind, Is.EqualTo(JsonValueKind.Null));
    }

    [Test]
    public async Task Status_summarises_the_latest_report()
    {
        var time = new FakeTimeProvider(DashboardTestHost.Start);
        var monitor = new FakeLeakMonitor();
        monitor.ReportList.Add(FakeLeakMonitor.Report("MyApp.Session", DashboardTestHost.Start - TimeSpan.FromMinutes(1)));
        await using var host = await DashboardTestHost.StartAsync(monitor, time);

        using var json = JsonDocument.Parse(await host.Client.GetStringAsync("/leakguard/api/status"));
        var latest = json.RootElement.GetProperty("latestReport");

        Assert.That(latest.GetProperty("topType").GetString(), Is.EqualTo("MyApp.Session"));
        Assert.That(latest.GetProperty("id").GetString(), Is.EqualTo((DashboardTestHost.Start - TimeSpan.FromMinutes(1)).ToUnixTimeMilliseconds().ToString(System.Globalization.CultureInfo.InvariantCulture)));
    }
}
