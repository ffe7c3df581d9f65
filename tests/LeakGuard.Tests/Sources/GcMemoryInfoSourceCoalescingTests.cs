using System.Collections.Concurrent;
using LeakGuard.Sources;
using NUnit.Framework;

namespace LeakGuard.Tests.Sources;

/// <summary>
/// Coalescing (<c>LeakGuard:MaxGcSamplesPerSecond</c>): a wake-up sooner than 1/rate after the arming leaves the source
/// unarmed until <see cref="GcMemoryInfoSource.EnsureArmed"/>; what runs meanwhile is counted as coalesced, not missed.
/// Each induced collection is followed by <see cref="GC.WaitForPendingFinalizers"/>, so an armed source reads every
/// collection before the next one and nothing can be missed: the counts below are exact.
/// </summary>
[NonParallelizable]
public sealed class GcMemoryInfoSourceCoalescingTests
{
    private const int Rate = 10;
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(30);

    [Test]
    public void A_burst_of_collections_is_coalesced_into_a_few_samples_and_every_collection_is_accounted_for()
    {
        var samples = new ConcurrentQueue<GcSample>();
        using var source = new GcMemoryInfoSource(maxSamplesPerSecond: Rate);
        source.GcCompleted += samples.Enqueue;
        var first = GC.GetGCMemoryInfo(GCKind.Any).Index + 1;
        var clock = System.Diagnostics.Stopwatch.StartNew();

        const int Burst = 300;
        for (var i = 0; i < Burst; i++)
        {
            GC.Collect(0, GCCollectionMode.Forced, blocking: true);
            GC.WaitForPendingFinalizers();
        }

        var elapsed = clock.Elapsed;
        var duringBurst = samples.Count;

        // Coalescing only applies when collections come faster than the rate (a machine that stalls for seconds
        // makes the burst slower than that, and then every collection is rightly observed).
        Assume.That(elapsed, Is.LessThan(TimeSpan.FromSeconds(Burst / (8.0 * Rate))));

        // What the sampling loop does on its next step: the next collection is observed again.
        source.EnsureArmed();
        Assert.That(source.IsArmed, Is.True);
        GC.Collect(0, GCCollectionMode.Forced, blocking: true);
        GC.WaitForPendingFinalizers();
        var last = GC.GetGCMemoryInfo(GCKind.Any).Index;

        var ours = samples.Where(s => s.Index >= first).ToList();
        var collections = last - first + 1;

        // A wake re-arms only when 1/Rate s passed since its sentinel was armed: at most 1 + elapsed × Rate re-arms, plus the
        // first arming, and one sample per wake here (nothing is ever late).
        var bound = 2 + (int)(elapsed.TotalSeconds * Rate);
        TestContext.Out.WriteLine($"{collections} collections in {elapsed.TotalMilliseconds:0} ms: {ours.Count} samples, {source.CoalescedCount} coalesced, {source.MissedCount} missed, {source.WakeCount} wakes");
        Assert.Multiple(() =>
        {
            Assert.That(collections, Is.GreaterThanOrEqualTo(Burst + 1));
            Assert.That(duringBurst, Is.LessThanOrEqualTo(bound), "samples during the burst: bounded by the rate");
            Assert.That(duringBurst, Is.LessThan(Burst / 4), "far fewer samples than collections");
            Assert.That(ours.Select(s => s.Index), Is.Unique.And.Ordered.Ascending);
            Assert.That(ours[^1].Index, Is.EqualTo(last), "after EnsureArmed the next collection is observed");
            Assert.That(source.MissedCount, Is.Zero, "coalesced collections are not counted as missed");
            Assert.That(ours.Count + source.CoalescedCount + source.MissedCount, Is.EqualTo(collections), "every collection observed or counted");
            Assert.That(source.FaultCount, Is.Zero);
        });
    }

    [Test]
    public void Above_the_rate_a_re_arming_by_the_sampling_step_costs_one_wake_not_two()
    {
        using var source = new GcMemoryInfoSource(maxSamplesPerSecond: Rate);

        // Collect until a wake-up came too soon and left the source unarmed, as under a high collection rate.
        Assert.That(WaitFor(() => { GC.Collect(0); GC.WaitForPendingFinalizers(); return !source.IsArmed; }), Is.True);

        // The sampling step arms it; collections keep coming faster than the rate.
        source.EnsureArmed();
        var wakes = source.WakeCount;
        var clock = System.Diagnostics.Stopwatch.StartNew();
        for (var i = 0; i < 20; i++)
        {
            GC.Collect(0, GCCollectionMode.Forced, blocking: true);
            GC.WaitForPendingFinalizers();
        }

        // Meaningful only when the burst itself was faster than the rate (a stalled machine observes every one).
        Assume.That(clock.Elapsed, Is.LessThan(TimeSpan.FromSeconds(1.0 / Rate)));
        Assert.Multiple(() =>
        {
            Assert.That(source.WakeCount - wakes, Is.EqualTo(1), "the first collection after the arming woke the source, and it did not re-arm");
            Assert.That(source.IsArmed, Is.False);
            Assert.That(source.MissedCount, Is.Zero);
        });
    }

    [Test]
    public void A_full_collection_inside_a_coalesced_burst_is_still_published()
    {
        var samples = new ConcurrentQueue<GcSample>();
        using var source = new GcMemoryInfoSource(maxSamplesPerSecond: Rate);
        source.GcCompleted += samples.Enqueue;

        // Collect until a wake-up came too soon and left the source unarmed (a wake within 1/Rate s of its arming).
        Assert.That(WaitFor(() => { GC.Collect(0); GC.WaitForPendingFinalizers(); return !source.IsArmed; }), Is.True);
        var wakes = source.WakeCount;
        for (var i = 0; i < 50; i++)
        {
            GC.Collect(0, GCCollectionMode.Forced, blocking: true);
        }

        GC.Collect(2, GCCollectionMode.Forced, blocking: true);
        var full = GC.GetGCMemoryInfo(GCKind.FullBlocking).Index;
        for (var i = 0; i < 50; i++)
        {
            GC.Collect(0, GCCollectionMode.Forced, blocking: true);
        }

        GC.WaitForPendingFinalizers();
        Assert.That(source.WakeCount, Is.EqualTo(wakes), "unarmed: nothing woke the source during the burst");
        Assert.That(samples.Any(s => s.Index == full), Is.False);

        source.EnsureArmed();
        GC.Collect(0, GCCollectionMode.Forced, blocking: true);
        GC.WaitForPendingFinalizers();

        var published = samples.Where(s => s.Index == full).ToList();
        Assert.Multiple(() =>
        {
            Assert.That(published, Has.Count.EqualTo(1), "the last full blocking collection is read when the source wakes again");
            Assert.That(published.Select(s => s.Generation), Is.All.EqualTo(2));
            Assert.That(source.CoalescedCount, Is.GreaterThanOrEqualTo(100));
            Assert.That(source.MissedCount, Is.Zero);
        });
    }

    [Test]
    public void A_background_collection_that_ends_while_unarmed_is_published_after_re_arming()
    {
        Assume.That(System.Runtime.GCSettings.IsServerGC, Is.False);
        var live = new List<byte[]>();
        for (var i = 0; i < 2000; i++)
        {
            live.Add(new byte[10_000]);
        }

        GC.Collect();
        GC.WaitForPendingFinalizers();
        var samples = new ConcurrentQueue<GcSample>();
        using var source = new GcMemoryInfoSource(maxSamplesPerSecond: Rate);
        source.GcCompleted += samples.Enqueue;
        Assert.That(WaitFor(() => { GC.Collect(0); GC.WaitForPendingFinalizers(); return !source.IsArmed; }), Is.True);
        var before = GC.GetGCMemoryInfo(GCKind.Background).Index;

        GC.Collect(2, GCCollectionMode.Forced, blocking: false);

        // Unarmed: ephemeral collections run, nothing observes them, until the background collection has ended.
        var ran = WaitFor(() => { GC.Collect(0); return GC.GetGCMemoryInfo(GCKind.Background).Index > before; }, TimeSpan.FromSeconds(10));
        Assume.That(ran, Is.True, "the runtime ran no background collection (concurrent GC off?)");
        var background = GC.GetGCMemoryInfo(GCKind.Background).Index;

        // The sampling loop's steps: re-arm, and the next collection is observed.
        var seen = WaitFor(() => { source.EnsureArmed(); GC.Collect(0); GC.WaitForPendingFinalizers(); return samples.Any(s => s.Index == background); });
        Assert.Multiple(() =>
        {
            Assert.That(seen, Is.True, "the background collection was not reported");
            // Its generation is 2; its type reads as blocking when the runtime's latest-collection record (GCKind.Any)
            // supplied it, as it does when the background collection ends after the ephemeral one that woke the source.
            Assert.That(samples.Where(s => s.Index == background).Select(s => s.Generation), Is.EqualTo(new[] { 2 }));
            Assert.That(samples.Select(s => s.Index), Is.Unique);
        });
        GC.KeepAlive(live);
    }

    [Test]
    public void Concurrent_re_arming_keeps_one_sentinel_alive()
    {
        using var source = new GcMemoryInfoSource(maxSamplesPerSecond: Rate);
        Assert.That(WaitFor(() => { GC.Collect(0); GC.WaitForPendingFinalizers(); return !source.IsArmed; }), Is.True);
        var wakes = source.WakeCount;
        var collections = GC.CollectionCount(0);

        Parallel.For(0, 10_000, new ParallelOptions { MaxDegreeOfParallelism = 4 }, _ => source.EnsureArmed());
        GC.Collect(0, GCCollectionMode.Forced, blocking: true);
        GC.WaitForPendingFinalizers();

        // Two live sentinels would both be finalized by one collection: more wakes than collections.
        Assert.That(source.WakeCount - wakes, Is.InRange(1, GC.CollectionCount(0) - collections), "one sentinel alive at a time");
    }

    [Test]
    public void Re_arming_when_armed_or_disposed_does_nothing()
    {
        var source = new GcMemoryInfoSource(maxSamplesPerSecond: Rate);
        Assert.That(source.IsArmed, Is.True, "armed at construction");
        var wakes = source.WakeCount;
        var collections = GC.CollectionCount(0);
        source.EnsureArmed();
        GC.Collect(0, GCCollectionMode.Forced, blocking: true);
        GC.WaitForPendingFinalizers();
        Assert.That(source.WakeCount - wakes, Is.InRange(1, GC.CollectionCount(0) - collections), "no second sentinel");

        source.Dispose();
        Assert.That(WaitFor(() => { GC.Collect(0); GC.WaitForPendingFinalizers(); return !source.IsArmed; }), Is.True);
        source.EnsureArmed();
        Assert.That(source.IsArmed, Is.False, "a disposed source is not re-armed");
    }

    // No pause: the conditions here induce collections, which must come faster than the coalescing rate.
    private static bool WaitFor(Func<bool> condition, TimeSpan? within = null) =>
        Eventually.Holds(condition, within ?? Deadline, TimeSpan.Zero);
}
