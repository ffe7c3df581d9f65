using LeakGuard.Hosting;
using LeakGuard.Sources;
using LeakGuard.Tests.Hosting.Fakes;
using NUnit.Framework;

namespace LeakGuard.Tests.Hosting;

public sealed class MemoryLimitTests
{
    private const long MiB = Samples.MiB;

    [Test]
    public void The_option_wins_over_the_container_and_counts_resident_memory()
    {
        var process = MemoryLimits.Resolve(300 * MiB, Samples.Memory(resident: 150 * MiB, containerLimit: 500 * MiB, workingSet: 100 * MiB)).Process!.Value;

        Assert.That(process, Is.EqualTo(new MemoryBudget(300 * MiB, 150 * MiB, LimitNames.Configured, LimitNames.Rss)));
        Assert.That(process.Utilization, Is.EqualTo(0.5));
    }

    [Test]
    public void Under_a_container_limit_utilisation_is_the_cgroups_working_set_not_RSS()
    {
        var process = MemoryLimits.Resolve(null, Samples.Memory(resident: 300 * MiB, containerLimit: 500 * MiB, workingSet: 250 * MiB, totalAvailable: 8000 * MiB)).Process!.Value;

        Assert.That(process, Is.EqualTo(new MemoryBudget(500 * MiB, 250 * MiB, LimitNames.Container, LimitNames.CgroupWorkingSet)));
        Assert.That(process.Utilization, Is.EqualTo(0.5));
    }

    [Test]
    public void Under_a_container_limit_without_a_readable_working_set_RSS_is_counted() =>
        Assert.That(MemoryLimits.Resolve(null, Samples.Memory(resident: 300 * MiB, containerLimit: 500 * MiB, totalAvailable: 8000 * MiB)).Process!.Value.Usage, Is.EqualTo(LimitNames.Rss));

    [TestCase(-1L)]
    [TestCase(9223372036854771712L)]
    public void Without_a_container_limit_the_GC_available_memory_is_the_only_limit(long container)
    {
        var limits = MemoryLimits.Resolve(null, Samples.Memory(containerLimit: container, totalAvailable: 8000 * MiB));

        Assert.That(limits.Process!.Value.LimitBytes, Is.EqualTo(8000 * MiB));
        Assert.That(limits.Process!.Value.Limit, Is.EqualTo(LimitNames.GcAvailableMemory));
        Assert.That(limits.Heap, Is.Null);
    }

    [Test]
    public void No_limit_at_all_is_unknown()
    {
        var limits = MemoryLimits.Resolve(null, Samples.Memory(containerLimit: -1, totalAvailable: -1));

        Assert.That(limits.Binding, Is.Null);
        Assert.That(limits.For(LeakSignals.ManagedHeap), Is.Null);
    }

    [Test]
    public void Without_resident_memory_the_cgroups_usage_counts_then_nothing()
    {
        var noRss = Samples.Memory() with { ResidentSetBytes = -1, ContainerUsageBytes = 256 * MiB };
        Assert.That(MemoryLimits.Resolve(null, noRss).Process!.Value.Utilization, Is.EqualTo(0.25));
        Assert.That(MemoryLimits.Resolve(null, noRss with { ContainerUsageBytes = -1 }).Process!.Value.Utilization, Is.NaN);
    }

    // The case of issue 21: a 512 MiB container, the GC's heap limit at 75 % of it.
    private static MemoryLimits ManagedLeakIn512MiB(long heap, long workingSet) =>
        MemoryLimits.Resolve(null, Samples.Memory(managedHeap: heap, resident: workingSet + (20 * MiB), containerLimit: 512 * MiB, workingSet: workingSet, totalAvailable: 384 * MiB));

    [Test]
    public void Managed_signals_grow_towards_the_GC_heap_limit_when_it_is_nearer()
    {
        var limits = ManagedLeakIn512MiB(heap: 300 * MiB, workingSet: 360 * MiB);

        Assert.Multiple(() =>
        {
            Assert.That(limits.For(LeakSignals.ManagedHeap)!.Value.Limit, Is.EqualTo(LimitNames.GcHeapLimit));
            Assert.That(limits.For(LeakSignals.Gen2)!.Value.Limit, Is.EqualTo(LimitNames.GcHeapLimit));
            Assert.That(limits.For(LeakSignals.Loh)!.Value.Limit, Is.EqualTo(LimitNames.GcHeapLimit));
            Assert.That(limits.For(LeakSignals.ManagedHeap)!.Value.Usage, Is.EqualTo(LimitNames.GcHeap));
            Assert.That(limits.For(LeakSignals.ProcessMemory)!.Value.Limit, Is.EqualTo(LimitNames.Container));
            Assert.That(limits.For(LeakSignals.NativeMemory)!.Value.Limit, Is.EqualTo(LimitNames.Container));
            Assert.That(limits.For(LeakSignals.Threads), Is.Null);
            Assert.That(limits.Binding!.Value.Limit, Is.EqualTo(LimitNames.GcHeapLimit));
        });
    }

    [Test]
    public void The_heap_limits_slack_is_the_commit_ahead_of_the_heaps_size()
    {
        MemoryBudget? Heap(long committed) => MemoryLimits.Resolve(null, Samples.Memory(managedHeap: 300 * MiB, committed: committed, resident: 380 * MiB, containerLimit: 512 * MiB, workingSet: 360 * MiB, totalAvailable: 384 * MiB)).Heap;
        Assert.Multiple(() =>
        {
            Assert.That(Heap(330 * MiB)!.Value.SlackBytes, Is.EqualTo(30 * MiB));
            Assert.That(Heap(290 * MiB)!.Value.SlackBytes, Is.Zero, "a commit below the size (not read after the same collection) is no slack");
            Assert.That(MemoryLimits.Resolve(null, Samples.Memory(containerLimit: 512 * MiB, workingSet: 360 * MiB)).Process!.Value.SlackBytes, Is.Zero, "the container's limit has none");
        });
    }

    [Test]
    public void The_heap_limits_slack_adds_the_GCs_region_grain_and_the_containers_limit_does_not()
    {
        var sample = Samples.Memory(managedHeap: 300 * MiB, committed: 310 * MiB, resident: 380 * MiB, containerLimit: 512 * MiB, workingSet: 360 * MiB, totalAvailable: 384 * MiB);
        var limits = MemoryLimits.Resolve(null, sample, heapGrainBytes: 4 * MiB);
        Assert.Multiple(() =>
        {
            Assert.That(limits.Heap!.Value.SlackBytes, Is.EqualTo(14 * MiB));
            Assert.That(limits.Process!.Value.SlackBytes, Is.Zero);
            Assert.That(MemoryLimits.Resolve(null, sample, heapGrainBytes: -1).Heap!.Value.SlackBytes, Is.EqualTo(10 * MiB), "a negative grain counts as none");
        });
    }

    [Test]
    public void The_GCs_region_grain_is_one_region_per_heap_configured_or_4_MiB()
    {
        Assert.Multiple(() =>
        {
            Assert.That(GcCommitGrain.From(new Dictionary<string, object>()), Is.EqualTo(4 * MiB), "nothing configured: one default region");
            Assert.That(GcCommitGrain.From(new Dictionary<string, object> { ["GCRegionSize"] = 0L, ["HeapCount"] = 1L }), Is.EqualTo(4 * MiB));
            Assert.That(GcCommitGrain.From(new Dictionary<string, object> { ["GCRegionSize"] = 2L * MiB, ["HeapCount"] = 4L }), Is.EqualTo(8 * MiB));
            Assert.That(GcCommitGrain.From(new Dictionary<string, object> { ["GCRegionSize"] = "large", ["HeapCount"] = -3 }), Is.EqualTo(4 * MiB), "values of the wrong kind are ignored");
            Assert.That(GcCommitGrain.Bytes, Is.GreaterThanOrEqualTo(MiB), "read from this runtime");
        });
    }

    [Test]
    public void Managed_signals_grow_towards_the_container_limit_when_native_memory_leaves_it_less_headroom()
    {
        // 84 MiB left under the heap limit, only 32 MiB under the container's: the kernel ends the process first.
        var limits = ManagedLeakIn512MiB(heap: 300 * MiB, workingSet: 480 * MiB);

        Assert.That(limits.For(LeakSignals.ManagedHeap)!.Value.Limit, Is.EqualTo(LimitNames.Container));
        Assert.That(limits.Binding!.Value.Limit, Is.EqualTo(LimitNames.Container));
    }

    [Test]
    public void A_GC_limit_above_the_process_limit_never_binds() =>
        Assert.That(MemoryLimits.Resolve(256 * MiB, Samples.Memory(totalAvailable: 384 * MiB)).Heap, Is.Null);

    [Test]
    public void A_signal_is_projected_to_the_limit_in_its_own_terms()
    {
        var container = new MemoryBudget(512 * MiB, 400 * MiB, LimitNames.Container, LimitNames.CgroupWorkingSet);

        // RSS 420 MiB counts 20 MiB of pages the cgroup is not charged for: it reaches 532 MiB when the cgroup reaches 512.
        Assert.That(container.LimitFor(420 * MiB), Is.EqualTo(532 * MiB));
        Assert.That(container.LimitFor(double.NaN), Is.EqualTo(512 * MiB));
        Assert.That(container with { UsedBytes = -1 }, Has.Property(nameof(MemoryBudget.HeadroomBytes)).EqualTo(long.MaxValue));
    }

    [Test]
    public void The_pipeline_passes_each_signal_its_own_limit_and_the_verdict_names_it()
    {
        using var h = new MonitorHarness().Start();
        h.Probe.Next = Samples.Memory(managedHeap: 300 * MiB, committed: 310 * MiB, resident: 380 * MiB, containerLimit: 512 * MiB, workingSet: 360 * MiB, totalAvailable: 384 * MiB);
        h.StepBucket(2);

        Assert.Multiple(() =>
        {
            Assert.That(h.Script.Limits[LeakSignals.ManagedHeap], Is.EqualTo(384 * MiB));
            Assert.That(h.Script.Limits[LeakSignals.Gen2], Is.EqualTo((150 + 84) * MiB));
            Assert.That(h.Script.Limits[LeakSignals.ProcessMemory], Is.EqualTo((512 + 20) * MiB));
            Assert.That(h.Script.Limits[LeakSignals.Threads], Is.Null);
            Assert.That(h.Script.Slacks[LeakSignals.ManagedHeap], Is.EqualTo((10 * MiB) + GcCommitGrain.Bytes), "the GC's commit 10 MiB ahead of the heap's size, and one region");
            Assert.That(h.Script.Slacks[LeakSignals.ProcessMemory], Is.Zero);
            var heap = h.Monitor.Verdicts[LeakSignals.ManagedHeap];
            Assert.That((heap.LimitBytes, heap.Limit, heap.Usage), Is.EqualTo(((long?)(384 * MiB), LimitNames.GcHeapLimit, LimitNames.GcHeap)));
            var process = h.Monitor.Verdicts[LeakSignals.ProcessMemory];
            Assert.That((process.LimitBytes, process.Limit, process.Usage), Is.EqualTo(((long?)(512 * MiB), LimitNames.Container, LimitNames.CgroupWorkingSet)));
            Assert.That(h.Monitor.Verdicts[LeakSignals.Threads].Limit, Is.Null);
            Assert.That(h.Monitor.Readings.MemoryLimitBytes, Is.EqualTo(384 * MiB));
            Assert.That(h.Monitor.Readings.LimitName, Is.EqualTo(LimitNames.GcHeapLimit));
            Assert.That(h.Monitor.MemoryLimitBytes, Is.EqualTo(512 * MiB));
        });
    }

    [Test]
    public void The_monitor_publishes_limit_utilization_and_native_memory()
    {
        using var h = new MonitorHarness().Start();
        h.Probe.Next = Samples.Memory(resident: 256 * MiB, committed: 200 * MiB, containerLimit: 1024 * MiB);
        h.StepBucket();

        Assert.That(h.Monitor.MemoryLimitBytes, Is.EqualTo(1024 * MiB));
        Assert.That(h.Monitor.Readings.Utilization, Is.EqualTo(0.25));
        Assert.That(h.Monitor.Readings.NativeBytes, Is.EqualTo(56 * MiB));
    }

    [Test]
    public void Pressure_warns_once_when_crossing_the_threshold_and_again_only_after_falling_clearly_below()
    {
        var watch = new MemoryPressureWatch(0.8);

        Assert.That(new[] { 0.5, 0.81, 0.9, 0.79, 0.85, 0.7, 0.82 }.Select(watch.Observe),
            Is.EqualTo(new[] { false, true, false, false, false, false, true }));
        Assert.That(watch.Observe(double.NaN), Is.False);
    }

    [Test]
    public void The_monitor_logs_memory_pressure_at_the_configured_threshold()
    {
        using var h = new MonitorHarness(o => o.MemoryPressureThreshold = 0.5).Start();
        h.Probe.Next = Samples.Memory(resident: 400 * MiB, containerLimit: 1000 * MiB);
        h.StepBucket();
        Assert.That(h.LogsWithId(20), Is.Empty);

        h.Probe.Next = Samples.Memory(resident: 600 * MiB, containerLimit: 1000 * MiB);
        h.StepBucket(3);
        Assert.That(h.LogsWithId(20).Single().Message, Does.Contain("of its 1000 MiB container memory limit (rss against it").Or.Contain("of its 0.98 GiB container memory limit (rss against it"));
    }

    [Test]
    public void Pressure_warns_of_the_GC_heap_limit_during_a_managed_leak_before_the_container_fills()
    {
        using var h = new MonitorHarness().Start();
        h.Probe.Next = Samples.Memory(managedHeap: 320 * MiB, resident: 370 * MiB, containerLimit: 512 * MiB, workingSet: 350 * MiB, totalAvailable: 384 * MiB);
        h.StepBucket();

        // 320 of 384 MiB is 83 %; the container's working set is at 68 % and RSS at 72 %, both under the 0.8 threshold.
        var message = h.LogsWithId(20).Single().Message;
        Assert.That(message, Does.Contain("384 MiB GC heap limit (gc_heap against it"));
    }
}
