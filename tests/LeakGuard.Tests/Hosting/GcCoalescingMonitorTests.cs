using LeakGuard.Hosting;
using LeakGuard.Tests.Hosting.Fakes;
using Microsoft.Extensions.Time.Testing;
using NUnit.Framework;

namespace LeakGuard.Tests.Hosting;

/// <summary>The monitor with the production GC source: its sampling steps re-arm a coalescing source.</summary>
[NonParallelizable]
public sealed class GcCoalescingMonitorTests
{
    private const int Steps = 10;
    private const int CollectionsPerStep = 50;

    [Test]
    public void Each_step_re_arms_the_source_so_gc_samples_keep_flowing_and_coalesced_collections_are_not_dropped()
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var (coalesced, samplesPerStep, dropped, collections) = Run(LeakGuardOptions.DefaultMaxGcSamplesPerSecond);
        var elapsed = clock.Elapsed;
        var (every, everyPerStep, everyDropped, everyCollections) = Run(0);

        // Wakes: the first arming, one re-arming per step, and at most 1 + elapsed × rate re-arming wakes; at most
        // one sample per wake here (each collection is followed by waiting for the finalizer, so none is late).
        var bound = 1 + Steps + 1 + (int)(elapsed.TotalSeconds * LeakGuardOptions.DefaultMaxGcSamplesPerSecond);
        TestContext.Out.WriteLine($"default: {coalesced} samples of {collections} collections; every: {every} of {everyCollections}");
        Assert.Multiple(() =>
        {
            Assert.That(samplesPerStep, Is.All.GreaterThanOrEqualTo(1), "at least one GC sample per step");
            Assert.That(coalesced, Is.LessThanOrEqualTo(bound));
            Assert.That(dropped, Is.Zero, "coalesced collections are not counted as dropped samples");
            Assert.That(every, Is.EqualTo(everyCollections), "MaxGcSamplesPerSecond = 0: every collection");
            Assert.That(everyPerStep, Is.All.GreaterThanOrEqualTo(CollectionsPerStep));
            Assert.That(everyDropped, Is.Zero);
        });
    }

    private static (int Samples, int[] PerStep, long Dropped, long Collections) Run(int rate)
    {
        var options = new LeakGuardOptions { MaxGcSamplesPerSecond = rate };
        var components = new MonitorComponents { CreateMemoryProbe = _ => new FakeMemoryProbe(), CreateInvestigator = (_, _, _) => new FakeInvestigator() };
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        using var monitor = new LeakMonitor(options, components, time, null, null, null);
        monitor.StartSampling(runLoop: false);
        var first = GC.GetGCMemoryInfo(GCKind.Any).Index + 1;
        var perStep = new int[Steps];
        var seen = 0;
        for (var step = 0; step < Steps; step++)
        {
            for (var i = 0; i < CollectionsPerStep; i++)
            {
                GC.Collect(0, GCCollectionMode.Forced, blocking: true);
                GC.WaitForPendingFinalizers();
            }

            time.Advance(options.SampleInterval);
            monitor.Tick();
            var count = monitor.GetRecentGcSamples(1024).Count(s => s.Index >= first);
            perStep[step] = count - seen;
            seen = count;
        }

        var last = GC.GetGCMemoryInfo(GCKind.Any).Index;
        return (seen, perStep, monitor.Readings.DroppedGcSamples, last - first + 1);
    }
}
