using System.Runtime.CompilerServices;
using LeakGuard.Hosting;
using LeakGuard.Tests.Hosting.Fakes;
using NUnit.Framework;

namespace LeakGuard.Tests.Hosting;

public sealed class RetentionWatchTests
{
    private static readonly DateTimeOffset T0 = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    [Test]
    public void An_object_counts_as_retained_only_after_its_grace_period_and_a_full_collection()
    {
        var watch = new RetentionWatch();
        var target = new object();
        watch.Add(target, "request scope", T0, gen2Count: 5);

        Assert.That(watch.CountRetained(T0 + RetentionWatch.GracePeriod, gen2Count: 5), Is.Zero, "no full GC has looked yet");
        Assert.That(watch.CountRetained(T0 + TimeSpan.FromSeconds(1), gen2Count: 6), Is.Zero, "still within the grace period");
        Assert.That(watch.CountRetained(T0 + RetentionWatch.GracePeriod, gen2Count: 6), Is.EqualTo(1));
        GC.KeepAlive(target);
    }

    [Test]
    public void Collected_objects_are_forgotten()
    {
        var watch = new RetentionWatch();
        AddUnreachable(watch);
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();

        Assert.That(watch.CountRetained(T0 + TimeSpan.FromMinutes(1), gen2Count: 100), Is.Zero);
    }

    [Test]
    public void The_watch_is_bounded()
    {
        var watch = new RetentionWatch();
        var keep = new List<object>();
        for (var i = 0; i < RetentionWatch.Capacity + 10; i++)
        {
            var o = new object();
            keep.Add(o);
            watch.Add(o, "x", T0, 0);
        }

        Assert.That(watch.CountRetained(T0 + TimeSpan.FromMinutes(1), 1), Is.EqualTo(RetentionWatch.Capacity));
        Assert.That(watch.Dropped, Is.EqualTo(10));
        GC.KeepAlive(keep);
    }

    [Test]
    public void Retained_objects_are_a_signal_once_something_is_watched()
    {
        var h = new MonitorHarness();
        using (h)
        {
            h.Start();
            h.StepBucket();
            Assert.That(h.Monitor.GetSeries(LeakSignals.RetainedObjects, TimeSpan.Zero), Is.Empty);

            var survivor = new object();
            h.Monitor.ExpectCollected(survivor, "leaked handler");
            h.Gen2Count = 1;
            h.Time.Advance(RetentionWatch.GracePeriod);
            h.StepBucket();

            Assert.That(h.Monitor.GetSeries(LeakSignals.RetainedObjects, TimeSpan.Zero)[^1].Last, Is.EqualTo(1));
            GC.KeepAlive(survivor);
        }
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void AddUnreachable(RetentionWatch watch) => watch.Add(new object(), "gone", T0, 0);
}
