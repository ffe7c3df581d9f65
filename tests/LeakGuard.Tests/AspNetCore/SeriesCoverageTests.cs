using System.Text.Json;
using LeakGuard.Buffering;
using LeakGuard.Detection;
using LeakGuard.Sources;
using Microsoft.Extensions.Time.Testing;
using NUnit.Framework;

namespace LeakGuard.Tests.AspNetCore;

/// <summary>
/// Each horizon of the dashboard is filled edge to edge: the series API answers from the resolution that reaches
/// back to the horizon's start, not from the 1,024 latest raw samples (which cover 256 s at the web sample's 250 ms).
/// The histories are the monitor's real rings, filled for longer than the longest horizon they can hold.
/// </summary>
public sealed class SeriesCoverageTests
{
    private const int RawRingCapacity = 1024;

    // The web sample's settings: 250 ms samples, a 30 s window (buckets 0.5 s … 128 s, so about 9 h of history).
    [TestCase("1m", 0.25, 30)]
    [TestCase("5m", 0.25, 30)]
    [TestCase("15m", 0.25, 30)]
    [TestCase("1h", 0.25, 30)]
    [TestCase("6h", 0.25, 30)]

    // The defaults: 1 s samples, a 10 min window (buckets 9.4 s … 40 min, so about 7 days of history).
    [TestCase("5m", 1, 600)]
    [TestCase("15m", 1, 600)]
    [TestCase("1h", 1, 600)]
    [TestCase("6h", 1, 600)]
    [TestCase("24h", 1, 600)]
    [TestCase("7d", 1, 600)]
    public async Task Every_horizon_is_filled_from_its_start_to_now(string horizonText, double intervalSeconds, double windowSeconds)
    {
        var interval = TimeSpan.FromSeconds(intervalSeconds);
        var settings = DetectorSettings.Create(TimeSpan.FromSeconds(windowSeconds), interval, TimeSpan.Zero, new DetectionOptions());
        var retained = settings.BucketWidths[^1] * settings.BucketCapacity;
        var monitor = new FakeLeakMonitor { Options = { SampleInterval = interval } };
        var history = new MultiResolutionSeries(settings.BucketWidths, settings.BucketCapacity);
        monitor.Levels[LeakSignals.ManagedHeap] = history;
        var now = DashboardTestHost.Start;
        var start = now - retained - TimeSpan.FromHours(1);
        var steps = (long)((now - start) / interval);
        for (var i = 0; i <= steps; i++)
        {
            var t = start + (interval * i);
            var value = 100e6 + (i * 10.0);
            history.Add(t, value);
            if (steps - i < RawRingCapacity)
            {
                monitor.Samples.Add(new MemorySample { Timestamp = t, GcIndex = i + 1, ManagedHeapBytes = (long)value });
            }
        }

        await using var host = await DashboardTestHost.StartAsync(monitor, new FakeTimeProvider(now));
        using var json = JsonDocument.Parse(await host.Client.GetStringAsync($"/leakguard/api/series?signal=managed_heap&horizon={horizonText}"));
        var root = json.RootElement;
        var from = root.GetProperty("from").GetDateTimeOffset();
        var step = TimeSpan.FromSeconds(root.GetProperty("resolutionSeconds").GetDouble());
        var points = root.GetProperty("points").EnumerateArray().Select(p => p.GetProperty("t").GetDateTimeOffset()).ToArray();

        TestContext.Out.WriteLine($"{horizonText}: {points.Length} points from {root.GetProperty("source").GetString()} every {step}");
        Assert.That(points, Has.Length.GreaterThanOrEqualTo(60), "a readable line");
        Assert.That(points[0] - from, Is.InRange(TimeSpan.Zero, step), "the first point is at the left edge");
        Assert.That(now - points[^1], Is.InRange(TimeSpan.Zero, step), "the last point is at the right edge");
    }
}
