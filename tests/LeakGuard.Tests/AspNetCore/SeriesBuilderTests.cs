using LeakGuard.AspNetCore.Series;
using LeakGuard.Hosting;
using LeakGuard.Sources;
using NUnit.Framework;

namespace LeakGuard.Tests.AspNetCore;

public sealed class SeriesBuilderTests
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 24, 6, 0, 0, TimeSpan.Zero);

    [Test]
    public void Raw_samples_before_the_first_gc_carry_no_heap_values()
    {
        var sample = new MemorySample { Timestamp = T0, GcIndex = 0, ManagedHeapBytes = 0, ResidentSetBytes = 50_000_000 };

        Assert.That(SeriesBuilder.ValueOf(sample, LeakSignals.ManagedHeap), Is.Null);
        Assert.That(SeriesBuilder.ValueOf(sample, LeakSignals.ProcessMemory), Is.EqualTo(50_000_000));
    }

    [Test]
    public void Unavailable_readings_are_skipped()
    {
        var sample = new MemorySample { Timestamp = T0, GcIndex = 3, ResidentSetBytes = -1, GcHandleCount = -1 };

        Assert.That(SeriesBuilder.ValueOf(sample, LeakSignals.ProcessMemory), Is.Null);
        Assert.That(SeriesBuilder.ValueOf(sample, LeakSignals.NativeMemory), Is.Null);
        Assert.That(SeriesBuilder.ValueOf(sample, LeakSignals.GcHandles), Is.Null);
        Assert.That(SeriesBuilder.ValueOf(sample, "user_gauge"), Is.Null);
    }

    [Test]
    public void The_raw_series_of_every_signal_is_the_value_its_detector_judges()
    {
        // Between collections GCMemoryInfo's committed bytes are frozen while new regions are committed, so the judged
        // native memory subtracts the bytes allocated since (SignalValues.NativeBytes); the dashboard once drew RSS −
        // committed instead, 40 MB above what was judged here.
        var sample = new MemorySample
        {
            Timestamp = T0, GcIndex = 7, ManagedHeapBytes = 300_000_000, FragmentedBytes = 20_000_000, Gen2SizeBytes = 200_000_000,
            Gen2FragmentedBytes = 5_000_000, LohSizeBytes = 60_000_000, LohFragmentedBytes = 8_000_000, ResidentSetBytes = 520_000_000,
            CommittedBytes = 330_000_000, AllocatedSinceGcBytes = 40_000_000, ThreadCount = 31, TimerCount = 12, GcHandleCount = 900,
            FinalizationPendingCount = 3, LoadedAssemblyCount = 120,
        };
        var readings = new SignalReading[SignalValues.MaxReadings];
        var n = SignalValues.Compute(sample, null, -1, readings);

        Assert.That(n, Is.GreaterThanOrEqualTo(10));
        Assert.Multiple(() =>
        {
            foreach (var reading in readings.AsSpan(0, n).ToArray())
            {
                Assert.That(SeriesBuilder.ValueOf(sample, reading.Signal), Is.EqualTo(reading.Value), reading.Signal);
            }
        });
    }

    [Test]
    public void Buckets_with_non_finite_values_are_dropped()
    {
        SignalPoint[] points =
        [
            new() { Timestamp = T0, Min = 1, Max = 2, Last = 1 },
            new() { Timestamp = T0.AddSeconds(10), Min = double.NaN, Max = 2, Last = 1 },
            new() { Timestamp = T0.AddSeconds(20), Min = 3, Max = 4, Last = 3 },
        ];

        Assert.That(SeriesBuilder.FromBuckets(points, T0).Select(p => p.Min), Is.EqualTo(new[] { 1.0, 3.0 }));
    }

    [TestCase(LeakState.Stable, 100.0)]
    [TestCase(LeakState.InsufficientData, 100.0)]
    [TestCase(LeakState.Leaking, 0.0)]
    [TestCase(LeakState.Leaking, -5.0)]
    [TestCase(LeakState.Suspected, double.NaN)]
    public void No_trend_is_projected_for_quiet_or_shrinking_signals(LeakState state, double rate)
    {
        var verdict = new LeakVerdict { Signal = LeakSignals.ManagedHeap, State = state, GrowthRatePerSecond = rate, CurrentValue = 10, EvaluatedAt = T0 };

        Assert.That(SeriesBuilder.Trend(verdict), Is.Null);
    }

    [Test]
    public void A_suspected_signal_projects_its_rate_to_the_limit()
    {
        var verdict = new LeakVerdict
        {
            Signal = LeakSignals.ManagedHeap, State = LeakState.Suspected, GrowthRatePerSecond = 10, CurrentValue = 1000,
            EvaluatedAt = T0, TimeToLimit = TimeSpan.FromMinutes(30),
        };

        var trend = SeriesBuilder.Trend(verdict)!;

        Assert.That(trend.AnchorValue, Is.EqualTo(1000));
        Assert.That(trend.LimitReachedAt, Is.EqualTo(T0.AddMinutes(30)));
    }
}
