using LeakGuard.Sources;
using NUnit.Framework;

namespace LeakGuard.Tests.Sources;

public sealed class MemoryProbeTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 24, 6, 0, 0, TimeSpan.Zero);

    [Test]
    public void Probe_reports_sane_values_for_this_process()
    {
        GC.Collect();
        using var probe = new MemoryProbe();

        Assert.That(probe.TryRead(Now, out var sample), Is.True);
        Assert.Multiple(() =>
        {
            Assert.That(sample.Timestamp, Is.EqualTo(Now));
            Assert.That(sample.GcIndex, Is.GreaterThan(0));
            Assert.That(sample.ManagedHeapBytes, Is.GreaterThan(0));
            Assert.That(sample.CommittedBytes, Is.GreaterThanOrEqualTo(sample.ManagedHeapBytes - sample.FragmentedBytes));
            Assert.That(sample.Gen2SizeBytes, Is.InRange(0, sample.ManagedHeapBytes));
            Assert.That(sample.LohSizeBytes, Is.InRange(0, sample.ManagedHeapBytes));
            Assert.That(sample.ResidentSetBytes, Is.GreaterThan(sample.ManagedHeapBytes / 2));
            Assert.That(sample.TotalAvailableMemoryBytes, Is.GreaterThan(0));
            Assert.That(sample.ThreadCount, Is.GreaterThanOrEqualTo(sample.ThreadPoolThreadCount).And.GreaterThan(1));
            Assert.That(sample.TimerCount, Is.GreaterThanOrEqualTo(0));
            Assert.That(sample.TotalAllocatedBytes, Is.GreaterThan(0));
            Assert.That(sample.TotalPauseDuration, Is.GreaterThan(TimeSpan.Zero));
            Assert.That(sample.ContainerLimitBytes, Is.GreaterThanOrEqualTo(-1));
            Assert.That(sample.GcHandleCount, Is.EqualTo(-1), "no GC event source given");
        });
    }

    [Test]
    public void Probe_reports_the_last_full_collection_apart_from_later_ephemeral_ones()
    {
        using var probe = new MemoryProbe();
        GC.Collect(2, GCCollectionMode.Forced, blocking: true);
        var full = GC.GetGCMemoryInfo(GCKind.FullBlocking);
        Assert.That(probe.TryRead(Now, out var afterFull), Is.True);

        GC.Collect(0);
        Assert.That(probe.TryRead(Now.AddSeconds(1), out var afterGen0), Is.True);

        Assert.Multiple(() =>
        {
            Assert.That(afterFull.FullCollectionIndex, Is.GreaterThanOrEqualTo(full.Index));
            Assert.That(afterFull.FullCollectionHeapBytes, afterFull.FullCollectionIndex == full.Index ? Is.EqualTo(full.HeapSizeBytes - full.FragmentedBytes) : Is.GreaterThan(0));
            Assert.That(afterFull.FullCollectionGen2Bytes, Is.InRange(0, afterFull.FullCollectionHeapBytes));
            Assert.That(afterFull.FullCollectionLohBytes, Is.InRange(0, afterFull.FullCollectionHeapBytes));
            Assert.That(afterGen0.GcIndex, Is.GreaterThan(afterGen0.FullCollectionIndex), "a generation-0 collection is not a full one");
            Assert.That(afterGen0.FullCollectionIndex, Is.GreaterThanOrEqualTo(afterFull.FullCollectionIndex));
        });
    }

    [Test]
    public void Probe_reads_rss_threads_and_cgroup_from_the_given_root()
    {
        if (!OperatingSystem.IsLinux())
        {
            Assert.Ignore("The procfs paths are only read on Linux.");
        }

        GC.Collect();
        using var probe = new MemoryProbe(rootDirectory: Fixture.Path("cgroup", "v2-container"));

        Assert.That(probe.TryRead(Now, out var sample), Is.True);
        Assert.Multiple(() =>
        {
            Assert.That(probe.CgroupVersion, Is.EqualTo(CgroupVersion.V2));
            Assert.That(sample.ResidentSetBytes, Is.EqualTo(421L * Environment.SystemPageSize));
            Assert.That(sample.ThreadCount, Is.EqualTo(17));
            Assert.That(sample.ContainerUsageBytes, Is.EqualTo(52428800));
            Assert.That(sample.ContainerLimitBytes, Is.EqualTo(-1));
            Assert.That(sample.ContainerOomKillCount, Is.EqualTo(1));
        });
    }

    [Test]
    public void Probe_without_proc_files_reports_them_unavailable_and_keeps_going()
    {
        GC.Collect();
        using var probe = new MemoryProbe(rootDirectory: Fixture.Path("cgroup", "does-not-exist"));

        Assert.That(probe.TryRead(Now, out var sample), Is.True);
        Assert.Multiple(() =>
        {
            Assert.That(sample.ContainerUsageBytes, Is.EqualTo(-1));
            Assert.That(sample.ContainerLimitBytes, Is.EqualTo(-1));
            Assert.That(sample.ContainerOomKillCount, Is.EqualTo(-1));
            Assert.That(sample.ManagedHeapBytes, Is.GreaterThan(0));
        });
    }

    [Test]
    public void Steady_samples_between_collections_allocate_nothing()
    {
        GC.Collect();
        using var probe = new MemoryProbe();
        probe.TryRead(Now, out _);
        var collections = GC.CollectionCount(0);

        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 100; i++)
        {
            probe.TryRead(Now, out _);
        }

        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assume.That(GC.CollectionCount(0), Is.EqualTo(collections), "a GC ran during the loop");
        Assert.That(allocated, Is.Zero);
    }

    [Test]
    public void Probe_takes_the_gc_handle_count_from_the_gc_event_source()
    {
        GC.Collect();
        var events = new FakeGcEventSource();
        using var probe = new MemoryProbe(events);

        events.Raise(new GcSample { Index = 1, GcHandleCount = 1234 });

        Assert.That(probe.TryRead(Now, out var sample) ? sample.GcHandleCount : 0, Is.EqualTo(1234));
    }

    [Test]
    public void Disposed_probe_reads_nothing_and_unsubscribes()
    {
        var events = new FakeGcEventSource();
        var probe = new MemoryProbe(events);
        probe.Dispose();

        Assert.Multiple(() =>
        {
            Assert.That(probe.TryRead(Now, out _), Is.False);
            Assert.That(events.HasSubscribers, Is.False);
        });
    }

    private sealed class FakeGcEventSource : IGcEventSource
    {
        public event Action<GcSample>? GcCompleted;

        public bool HasSubscribers => GcCompleted is not null;

        public void Raise(GcSample sample) => GcCompleted?.Invoke(sample);

        public void Dispose()
        {
        }
    }
}
