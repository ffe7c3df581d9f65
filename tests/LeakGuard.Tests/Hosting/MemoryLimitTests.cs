using LeakGuard.Hosting;
using LeakGuard.Tests.Hosting.Fakes;
using NUnit.Framework;

namespace LeakGuard.Tests.Hosting;

public sealed class MemoryLimitTests
{
    private const long MiB = Samples.MiB;

    [Test]
    public void The_option_wins_over_everything() =>
        Assert.That(MemoryLimit.Resolve(300 * MiB, Samples.Memory(containerLimit: 500 * MiB)), Is.EqualTo(300 * MiB));

    [Test]
    public void The_container_limit_comes_next() =>
        Assert.That(MemoryLimit.Resolve(null, Samples.Memory(containerLimit: 500 * MiB, totalAvailable: 8000 * MiB)), Is.EqualTo(500 * MiB));

    [TestCase(-1L)]
    [TestCase(9223372036854771712L)]
    public void Without_a_container_limit_the_GC_available_memory_is_used(long container) =>
        Assert.That(MemoryLimit.Resolve(null, Samples.Memory(containerLimit: container, totalAvailable: 8000 * MiB)), Is.EqualTo(8000 * MiB));

    [Test]
    public void No_limit_at_all_is_unknown() =>
        Assert.That(MemoryLimit.Resolve(null, Samples.Memory(containerLimit: -1, totalAvailable: -1)), Is.Null);

    [Test]
    public void Utilization_is_resident_memory_over_the_limit() =>
        Assert.That(MemoryLimit.Utilization(Samples.Memory(resident: 300 * MiB), 400 * MiB), Is.EqualTo(0.75));

    [Test]
    public void Utilization_falls_back_to_container_usage_then_unknown()
    {
        var noRss = Samples.Memory() with { ResidentSetBytes = -1, ContainerUsageBytes = 100 * MiB };
        Assert.That(MemoryLimit.Utilization(noRss, 400 * MiB), Is.EqualTo(0.25));
        Assert.That(MemoryLimit.Utilization(noRss with { ContainerUsageBytes = -1 }, 400 * MiB), Is.NaN);
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
        Assert.That(h.LogsWithId(20).Single().Message, Does.Contain("of its 1000 MiB memory limit").Or.Contain("of its 0.98 GiB memory limit"));
    }
}
