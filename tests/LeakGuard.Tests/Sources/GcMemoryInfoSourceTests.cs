using System.Collections.Concurrent;
using System.Runtime.InteropServices;
using LeakGuard.Sources;
using LeakGuard.Tests.Hosting.Fakes;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
using Microsoft.Extensions.Time.Testing;
using NUnit.Framework;

namespace LeakGuard.Tests.Sources;

/// <summary>The source observing every collection (<c>maxSamplesPerSecond: 0</c>); coalescing is tested in
/// <see cref="GcMemoryInfoSourceCoalescingTests"/>.</summary>
[NonParallelizable]
public sealed class GcMemoryInfoSourceTests
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(30);

    [Test]
    public void Each_induced_collection_yields_one_sample_with_a_pause_and_generation_sizes_that_add_up()
    {
        var samples = new ConcurrentQueue<GcSample>();
        using var source = new GcMemoryInfoSource(maxSamplesPerSecond: 0);
        source.GcCompleted += samples.Enqueue;

        var induced = new List<long>();
        for (var i = 0; i < 3; i++)
        {
            // The collection queues the sentinel's finalizer; waiting for finalizers means the sample is published.
            GC.Collect(2, GCCollectionMode.Forced, blocking: true);
            induced.Add(GC.GetGCMemoryInfo(GCKind.Any).Index);
            GC.WaitForPendingFinalizers();
        }

        var ours = samples.Where(s => induced.Contains(s.Index)).ToList();
        Assert.That(ours, Has.Count.EqualTo(3));
        Assert.Multiple(() =>
        {
            foreach (var sample in ours)
            {
                Assert.That(sample.Generation, Is.EqualTo(2));
                Assert.That(sample.Type, Is.Zero, "blocking");
                Assert.That(sample.Reason, Is.EqualTo(-1), "not reported by GC.GetGCMemoryInfo");
                Assert.That(sample.PauseDuration, Is.GreaterThan(TimeSpan.Zero));
                Assert.That(sample.HeapSizeAfterBytes, Is.EqualTo(sample.Gen0SizeBytes + sample.Gen1SizeBytes + sample.Gen2SizeBytes + sample.LohSizeBytes + sample.PohSizeBytes));
                Assert.That(sample.Gen2SizeBytes, Is.GreaterThan(0));
                Assert.That(sample.PohSizeBytes, Is.GreaterThanOrEqualTo(0));
                Assert.That(sample.PromotedBytes, Is.GreaterThan(0));
                Assert.That(sample.GcHandleCount, Is.EqualTo(-1), "no handle-count refresher given");
                Assert.That(sample.Timestamp, Is.GreaterThan(DateTimeOffset.UnixEpoch));
            }

            Assert.That(source.FaultCount, Is.Zero);
        });
    }

    [Test]
    public void Consecutive_collections_are_reported_once_each_in_order()
    {
        var samples = new ConcurrentQueue<GcSample>();
        using var source = new GcMemoryInfoSource(maxSamplesPerSecond: 0);
        source.GcCompleted += samples.Enqueue;
        var first = GC.GetGCMemoryInfo(GCKind.Any).Index + 1;

        for (var i = 0; i < 200; i++)
        {
            GC.Collect(0, GCCollectionMode.Forced, blocking: true);
            GC.WaitForPendingFinalizers();
        }

        var last = GC.GetGCMemoryInfo(GCKind.Any).Index;

        // The source wakes on its own thread after a collection: the last one's sample may still be on its way.
        Assert.That(Eventually.Holds(() => samples.Any(s => s.Index >= last), TimeSpan.FromSeconds(10), TimeSpan.FromMilliseconds(10)), Is.True, "the last collection was never reported");
        var indices = samples.Select(s => s.Index).Where(i => i <= last).ToList();
        Assert.Multiple(() =>
        {
            Assert.That(indices, Is.Ordered.Ascending);
            Assert.That(indices, Is.Unique);
            Assert.That(indices, Is.EquivalentTo(Enumerable.Range(0, (int)(last - first + 1)).Select(k => first + k)), "one sample per collection, none missed");
            Assert.That(samples.Where(s => s.Index >= first).Count(s => s.Generation == 0), Is.GreaterThanOrEqualTo(190), "gen0 collections reported as generation 0");
            Assert.That(source.MissedCount, Is.Zero);

            // A rate of 0 never coalesces: the source re-arms after every wake.
            Assert.That(source.CoalescedCount, Is.Zero);
            Assert.That(source.IsArmed, Is.True);
        });
    }

    [Test]
    public void A_background_collection_is_reported_once_when_it_ends()
    {
        Assume.That(System.Runtime.GCSettings.IsServerGC, Is.False);

        // A live set in generation 2 makes the runtime choose a background collection for a non-blocking gen2 request.
        var live = new List<byte[]>();
        for (var i = 0; i < 2000; i++)
        {
            live.Add(new byte[10_000]);
        }

        GC.Collect();
        GC.WaitForPendingFinalizers();
        var samples = new ConcurrentQueue<GcSample>();
        using var source = new GcMemoryInfoSource(maxSamplesPerSecond: 0);
        source.GcCompleted += samples.Enqueue;
        var before = GC.GetGCMemoryInfo(GCKind.Background).Index;

        GC.Collect(2, GCCollectionMode.Forced, blocking: false);

        // Ephemeral collections keep waking the source while the background one runs and after it ended.
        var ran = WaitFor(() => { GC.Collect(0); GC.WaitForPendingFinalizers(); return GC.GetGCMemoryInfo(GCKind.Background).Index > before; }, TimeSpan.FromSeconds(10));
        Assume.That(ran, Is.True, "the runtime ran no background collection (concurrent GC off?)");
        var seen = WaitFor(() => { GC.Collect(0); GC.WaitForPendingFinalizers(); return samples.Any(s => s.Type == 1); }, TimeSpan.FromSeconds(10));

        var background = samples.Where(s => s.Type == 1).ToList();
        Assert.Multiple(() =>
        {
            Assert.That(seen, Is.True, "the background collection was not reported");
            Assert.That(background, Has.Count.EqualTo(1));
            Assert.That(background.Select(s => s.Generation), Is.All.EqualTo(2));
            Assert.That(background.Select(s => s.Index), Is.All.EqualTo(GC.GetGCMemoryInfo(GCKind.Background).Index));
            Assert.That(background.Select(s => s.PauseDuration), Is.All.GreaterThan(TimeSpan.Zero));
            Assert.That(samples.Select(s => s.Index), Is.Unique);
        });
        GC.KeepAlive(live);
    }

    [Test]
    public void After_dispose_no_sample_is_published()
    {
        var count = 0;
        var source = new GcMemoryInfoSource(maxSamplesPerSecond: 0);
        source.GcCompleted += _ => Interlocked.Increment(ref count);
        GC.Collect();
        GC.WaitForPendingFinalizers();
        Assert.That(Volatile.Read(ref count), Is.GreaterThanOrEqualTo(1));

        source.Dispose();
        var before = Volatile.Read(ref count);
        for (var i = 0; i < 3; i++)
        {
            GC.Collect();
            GC.WaitForPendingFinalizers();
        }

        Assert.That(Volatile.Read(ref count), Is.EqualTo(before));
    }

    [Test]
    public void A_throwing_subscriber_is_counted_and_the_source_goes_on()
    {
        var seen = 0;
        using var source = new GcMemoryInfoSource(maxSamplesPerSecond: 0);
        source.GcCompleted += _ => Interlocked.Increment(ref seen);
        source.GcCompleted += _ => throw new InvalidOperationException("subscriber bug");

        for (var i = 0; i < 3; i++)
        {
            GC.Collect(0);
            GC.WaitForPendingFinalizers();
        }

        Assert.Multiple(() =>
        {
            Assert.That(source.FaultCount, Is.GreaterThanOrEqualTo(3));
            Assert.That(Volatile.Read(ref seen), Is.GreaterThanOrEqualTo(3));
        });
    }

    [Test]
    public void Collections_cost_under_a_kilobyte_of_allocation_each()
    {
        // Side by side in one run: the same forced collections without and with the source.
        static long AllocatedOver(int collections)
        {
            var before = GC.GetTotalAllocatedBytes(precise: true);
            for (var i = 0; i < collections; i++)
            {
                GC.Collect(0, GCCollectionMode.Forced, blocking: true);
                GC.WaitForPendingFinalizers();
            }

            return GC.GetTotalAllocatedBytes(precise: true) - before;
        }

        // Other work in the test process (a listener or timer of an earlier test winding down) can allocate during
        // either measurement: each is taken three times and the least kept, which only removes such additions.
        const int Collections = 300;
        AllocatedOver(10);
        var without = long.MaxValue;
        for (var round = 0; round < 3; round++)
        {
            without = Math.Min(without, AllocatedOver(Collections));
        }

        using var source = new GcMemoryInfoSource(maxSamplesPerSecond: 0);
        var published = 0;
        source.GcCompleted += _ => published++;
        AllocatedOver(10);
        var with = long.MaxValue;
        for (var round = 0; round < 3; round++)
        {
            with = Math.Min(with, AllocatedOver(Collections));
        }

        var perCollection = (with - without) / (double)Collections;
        TestContext.Out.WriteLine($"allocated per collection: {perCollection:0} B (without {without} B, with {with} B)");
        Assert.Multiple(() =>
        {
            Assert.That(published, Is.GreaterThanOrEqualTo(Collections));
            Assert.That(perCollection, Is.LessThan(1024));
        });
    }

    [Test]
    public void The_handle_count_comes_from_a_window_of_runtime_events_that_closes_after_one_collection()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var handles = new List<GCHandle>();
        try
        {
            for (var i = 0; i < 2000; i++)
            {
                handles.Add(GCHandle.Alloc(new object()));
            }

            using var refresher = new GcHandleCountRefresher(new GcEventListener(), time);
            var samples = new ConcurrentQueue<GcSample>();
            using var source = new GcMemoryInfoSource(time: time, handles: refresher, maxSamplesPerSecond: 0);
            source.GcCompleted += samples.Enqueue;

            // The in-process session starts asynchronously: collect until the first window delivered a count.
            Assert.That(WaitFor(() => { GC.Collect(); GC.WaitForPendingFinalizers(); return refresher.WindowCount >= 1; }), Is.True, "no window closed");
            Assert.That(refresher.HandleCount, Is.GreaterThanOrEqualTo(2000));

            // Closed: more collections inside the minimum interval open no new window.
            for (var i = 0; i < 2 * GcHandleCountRefresher.MinCollections; i++)
            {
                GC.Collect(0);
                GC.WaitForPendingFinalizers();
            }

            Assert.That(refresher.WindowCount, Is.EqualTo(1));
            Assert.That(samples.Last().GcHandleCount, Is.GreaterThanOrEqualTo(2000), "later samples carry the last count");

            // Due again (enough collections and the minimum interval passed): a second window reports the new count.
            for (var i = 0; i < 3000; i++)
            {
                handles.Add(GCHandle.Alloc(new object()));
            }

            time.Advance(GcHandleCountRefresher.MinInterval);
            Assert.That(WaitFor(() => { GC.Collect(0); GC.WaitForPendingFinalizers(); return refresher.WindowCount >= 2; }), Is.True, "the second window did not close");
            Assert.That(refresher.HandleCount, Is.GreaterThanOrEqualTo(5000));
        }
        finally
        {
            foreach (var handle in handles)
            {
                handle.Free();
            }
        }
    }

    [Test]
    public void When_the_preferred_source_cannot_start_the_event_listener_takes_over_and_says_so()
    {
        var logs = new FakeLogCollector();
        using var factory = LoggerFactory.Create(b => b.AddProvider(new FakeLoggerProvider(logs)).SetMinimumLevel(LogLevel.Trace));
        var logger = factory.CreateLogger("LeakGuard");
        var fallback = new FakeGcEventSource();

        using var chosen = GcSources.Create(logger, () => throw new InvalidOperationException("no finalizer"), () => fallback);

        Assert.Multiple(() =>
        {
            Assert.That(chosen, Is.SameAs(fallback));
            Assert.That(logs.GetSnapshot().Any(r => r.Id.Id == 402 && r.Level == LogLevel.Warning && r.Message.Contains(nameof(FakeGcEventSource), StringComparison.Ordinal)), Is.True);
        });
    }

    [Test]
    public void The_production_source_reports_real_collections_with_a_handle_count()
    {
        var logs = new FakeLogCollector();
        using var factory = LoggerFactory.Create(b => b.AddProvider(new FakeLoggerProvider(logs)).SetMinimumLevel(LogLevel.Trace));
        var samples = new ConcurrentQueue<GcSample>();
        using var source = GcSources.Create(factory.CreateLogger("LeakGuard"), maxSamplesPerSecond: 0);
        source.GcCompleted += samples.Enqueue;

        Assert.Multiple(() =>
        {
            Assert.That(source, Is.TypeOf<GcMemoryInfoSource>());
            Assert.That(logs.GetSnapshot().Any(r => r.Id.Id == 401), Is.True, "the active source is logged");
        });
        Assert.That(WaitFor(() => { GC.Collect(); GC.WaitForPendingFinalizers(); return samples.Any(s => s.GcHandleCount > 0); }), Is.True);
    }

    private static bool WaitFor(Func<bool> condition, TimeSpan? within = null) =>
        Eventually.Holds(condition, within ?? Deadline, TimeSpan.FromMilliseconds(20));
}
