using LeakGuard.Hosting;
using LeakGuard.Tests.Hosting.Fakes;
using Microsoft.Extensions.Hosting;
using NUnit.Framework;

namespace LeakGuard.Tests.Hosting;

public sealed class RecyclePolicyTests
{
    private static readonly DateTimeOffset Start = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    private static RecyclePolicy Policy(bool enabled = true) => new(
        new RecycleOptions { Enabled = enabled, UtilizationThreshold = 0.9, For = TimeSpan.FromMinutes(5), GracePeriod = TimeSpan.FromMinutes(10) },
        Start);

    [Test]
    public void Recycles_after_utilization_stays_over_the_threshold_for_the_configured_time()
    {
        var policy = Policy();
        var t = Start + TimeSpan.FromMinutes(20);

        Assert.That(policy.Observe(t, 0.95), Is.False);
        Assert.That(policy.Observe(t + TimeSpan.FromMinutes(4), 0.95), Is.False);
        Assert.That(policy.Observe(t + TimeSpan.FromMinutes(5), 0.95), Is.True);
    }

    [Test]
    public void A_dip_below_the_threshold_restarts_the_clock()
    {
        var policy = Policy();
        var t = Start + TimeSpan.FromMinutes(20);
        policy.Observe(t, 0.95);
        policy.Observe(t + TimeSpan.FromMinutes(3), 0.5);

        Assert.That(policy.Observe(t + TimeSpan.FromMinutes(6), 0.95), Is.False);
        Assert.That(policy.Observe(t + TimeSpan.FromMinutes(11), 0.95), Is.True);
    }

    [Test]
    public void Never_recycles_within_the_grace_period_after_start()
    {
        var policy = Policy();

        Assert.That(policy.Observe(Start, 0.99), Is.False);
        Assert.That(policy.Observe(Start + TimeSpan.FromMinutes(9), 0.99), Is.False);
        Assert.That(policy.Observe(Start + TimeSpan.FromMinutes(10), 0.99), Is.True);
    }

    [Test]
    public void Never_recycles_twice()
    {
        var policy = Policy();
        var t = Start + TimeSpan.FromMinutes(20);
        policy.Observe(t, 0.95);
        Assert.That(policy.Observe(t + TimeSpan.FromMinutes(5), 0.95), Is.True);

        Assert.That(policy.Observe(t + TimeSpan.FromMinutes(30), 0.99), Is.False);
    }

    [Test]
    public void Off_by_default_and_when_disabled()
    {
        Assert.That(new RecycleOptions().Enabled, Is.False);
        var policy = Policy(enabled: false);
        Assert.That(policy.Observe(Start + TimeSpan.FromHours(1), 0.99), Is.False);
        Assert.That(policy.Observe(Start + TimeSpan.FromHours(2), 0.99), Is.False);
    }

    [Test]
    public void The_monitor_logs_evidence_and_stops_the_application_once()
    {
        var lifetime = new FakeLifetime();
        using var h = new MonitorHarness(
            o =>
            {
                o.Recycle.Enabled = true;
                o.Recycle.For = TimeSpan.FromSeconds(30);
                o.Recycle.GracePeriod = TimeSpan.FromMinutes(1);
            },
            lifetime).Start();
        h.Probe.Next = Samples.Memory(resident: 950 * Samples.MiB, containerLimit: 1000 * Samples.MiB);

        for (var i = 0; i < 300; i++)
        {
            h.Step();
        }

        Assert.That(lifetime.StopCalls, Is.EqualTo(1));
        Assert.That(h.LogsWithId(40).Single().Message, Does.Contain("no memory signal is suspected"));
    }

    [Test]
    public void Without_a_host_the_recycle_is_logged_as_unavailable()
    {
        using var h = new MonitorHarness(o =>
        {
            o.Recycle.Enabled = true;
            o.Recycle.For = TimeSpan.FromSeconds(5);
            o.Recycle.GracePeriod = TimeSpan.Zero;
        }).Start();
        h.Probe.Next = Samples.Memory(resident: 990 * Samples.MiB, containerLimit: 1000 * Samples.MiB);
        h.Step(10);

        Assert.That(h.LogsWithId(41).Count(), Is.EqualTo(1));
    }

    [Test]
    public void A_memory_limit_below_what_the_process_uses_at_start_refuses_recycling_with_one_warning()
    {
        var lifetime = new FakeLifetime();
        using var h = new MonitorHarness(
            o =>
            {
                o.MemoryLimitBytes = 1 * Samples.MiB;
                o.Recycle.Enabled = true;
                o.Recycle.For = TimeSpan.FromSeconds(1);
                o.Recycle.GracePeriod = TimeSpan.Zero;
            },
            lifetime).Start();
        h.Probe.Next = Samples.Memory(resident: 200 * Samples.MiB);

        h.Step(60);

        Assert.That(lifetime.StopCalls, Is.Zero, "the application keeps running");
        Assert.That(h.LogsWithId(42).Single().Message, Does.Contain("LeakGuard:MemoryLimitBytes").And.Contain("1048576"));
    }

    [Test]
    public void A_process_that_starts_below_its_limit_is_still_recycled_later()
    {
        var policy = Policy();

        Assert.That(policy.Observe(Start, 0.5), Is.False);
        Assert.That(policy.Observe(Start + TimeSpan.FromMinutes(11), 1.2), Is.False);
        Assert.That(policy.Observe(Start + TimeSpan.FromMinutes(16), 1.2), Is.True);
        Assert.That(policy.Refused, Is.False);
    }

    private sealed class FakeLifetime : IHostApplicationLifetime
    {
        public int StopCalls { get; private set; }

        public CancellationToken ApplicationStarted => CancellationToken.None;

        public CancellationToken ApplicationStopping => CancellationToken.None;

        public CancellationToken ApplicationStopped => CancellationToken.None;

        public void StopApplication() => StopCalls++;
    }
}
