using LeakGuard.Hosting;
using LeakGuard.Sources;
using Microsoft.Extensions.Time.Testing;
using NUnit.Framework;

namespace LeakGuard.Tests.Hosting;

/// <summary>Steady-state allocation of one memory sample with the production sources (issue 8: 0 B per sample).</summary>
[NonParallelizable]
public sealed class SampleAllocationTests
{
    private static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(10);

    [Test]
    public void A_sampling_step_with_the_real_sources_and_a_watched_gauge_allocates_nothing()
    {
        var options = new LeakGuardOptions { SampleInterval = Interval };
        var width = LeakGuard.Detection.DetectorSettings.FromOptions(options).BucketWidths[0];
        Assume.That(width, Is.GreaterThan(Interval * 200));

        // Start on a bucket boundary so the measured steps stay inside one bucket (a bucket close evaluates and publishes).
        var start = new DateTimeOffset(((DateTimeOffset.UtcNow.UtcTicks / width.Ticks) + 1) * width.Ticks, TimeSpan.Zero);
        var time = new FakeTimeProvider(start);
        using var monitor = new LeakMonitor(options, MonitorComponents.Default, time, null, null, null);
        using var gauge = monitor.Watch("queue_length", () => 42);
        monitor.StartSampling(runLoop: false);
        GC.Collect();
        GC.WaitForPendingFinalizers();
        for (var i = 0; i < 20; i++)
        {
            time.Advance(Interval);
            monitor.Tick();
        }

        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 150; i++)
        {
            time.Advance(Interval);
            monitor.Tick();
        }

        Assert.That(GC.GetAllocatedBytesForCurrentThread() - before, Is.Zero);
    }

    [Test]
    public void The_running_sampling_loop_allocates_nothing_per_sample()
    {
        // Process-wide, so the timer and thread-pool work of the loop counts; the same wall time without the
        // monitor is measured side by side and subtracted (the test host allocates a little in the background).
        const int Samples = 300;
        const int WarmUpSamples = 500;
        CountingProbe? probe = null;
        var components = new MonitorComponents { CreateMemoryProbe = gc => probe = new CountingProbe(new MemoryProbe(gc)) };
        var options = new LeakGuardOptions { SampleInterval = Interval };
        GC.Collect();
        GC.WaitForPendingFinalizers();

        using var monitor = new LeakMonitor(options, components, TimeProvider.System, null, null, null);
        using var gauge = monitor.Watch("queue_length", () => 42);
        monitor.StartSampling(runLoop: true);
        // The first seconds of a process's sampling include one-time work (~70 KB measured after 50 samples of
        // warm-up, none after 600, and none for a second monitor in the same process: tiered re-compilation and
        // first use of runtime statics, not attributed further). The target is the steady state after it.
        Assert.That(WaitFor(() => probe is { Reads: >= WarmUpSamples }), Is.True, "the loop did not sample");

        var reads0 = probe!.Reads;
        var allocated0 = GC.GetTotalAllocatedBytes(precise: true);
        var clock = System.Diagnostics.Stopwatch.StartNew();
        Assert.That(WaitFor(() => probe.Reads >= reads0 + Samples), Is.True, "the loop stalled");
        var withLoop = GC.GetTotalAllocatedBytes(precise: true) - allocated0;
        var samples = probe.Reads - reads0;
        var elapsed = clock.Elapsed;
        monitor.StopAsync().GetAwaiter().GetResult();

        var baseline0 = GC.GetTotalAllocatedBytes(precise: true);
        Thread.Sleep(elapsed);
        var baseline = GC.GetTotalAllocatedBytes(precise: true) - baseline0;

        var perSample = (withLoop - baseline) / (double)samples;
        TestContext.Out.WriteLine($"{samples} samples: {withLoop} B allocated, {baseline} B in the same time without the monitor: {perSample:0.0} B per sample");
        Assert.That(perSample, Is.LessThan(16), "allocation per sample (0 expected; the margin absorbs the test host's background noise)");
    }

    private static bool WaitFor(Func<bool> condition) =>
        Eventually.Holds(condition, TimeSpan.FromSeconds(30), TimeSpan.FromMilliseconds(5));

    private sealed class CountingProbe(IMemoryProbe inner) : IMemoryProbe
    {
        private int _reads;

        public int Reads => Volatile.Read(ref _reads);

        public bool TryRead(DateTimeOffset timestamp, out MemorySample sample)
        {
            Interlocked.Increment(ref _reads);
            return inner.TryRead(timestamp, out sample);
        }

        public void Dispose() => inner.Dispose();
    }
}
