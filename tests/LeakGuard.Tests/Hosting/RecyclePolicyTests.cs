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
        Assert.That(h.ExitCodes, Is.EqualTo(new[] { 75 }), "non-zero by default");
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

    private static LeakVerdict Leak(LeakState state, TimeSpan? earliest, DateTimeOffset evaluatedAt, double rate = 1500_000) => new()
    {
        Signal = LeakSignals.ManagedHeap,
        State = state,
        EvaluatedAt = evaluatedAt,
        GrowthRatePerSecond = rate,
        TimeToLimit = earliest * 1.5,
        TimeToLimitEarliest = earliest,
    };

    [Test]
    public void A_leak_that_may_reach_its_limit_within_the_horizon_recycles_even_at_low_utilization_and_soon_after_start()
    {
        // Issue 21's managed leak: Leaking ~60 s after it began, dead at 240–370 s, utilisation of the container ~0.7.
        var policy = Policy();
        var t = Start + TimeSpan.FromMinutes(2);

        Assert.That(policy.Observe(t, 0.7, Leak(LeakState.Leaking, TimeSpan.FromMinutes(4), t)), Is.True);
        Assert.That(policy.DecidingLeak!.Signal, Is.EqualTo(LeakSignals.ManagedHeap));
    }

    [Test]
    public void The_projection_is_counted_from_the_verdicts_evaluation_not_from_now()
    {
        var policy = Policy();
        var evaluated = Start + TimeSpan.FromMinutes(2);
        var leak = Leak(LeakState.Leaking, TimeSpan.FromMinutes(7), evaluated);

        Assert.That(policy.Observe(evaluated, 0.7, leak), Is.False, "7 min left");
        Assert.That(policy.Observe(evaluated + TimeSpan.FromMinutes(2.5), 0.7, leak), Is.True, "4.5 min left");
    }

    [Test]
    public void Suspicion_a_distant_limit_a_paused_leak_or_a_zero_horizon_recycle_nothing()
    {
        var t = Start + TimeSpan.FromMinutes(2);

        Assert.That(Policy().Observe(t, 0.7, Leak(LeakState.Suspected, TimeSpan.FromMinutes(1), t)), Is.False);
        Assert.That(Policy().Observe(t, 0.7, Leak(LeakState.Leaking, TimeSpan.FromMinutes(30), t)), Is.False);
        Assert.That(Policy().Observe(t, 0.7, Leak(LeakState.Leaking, TimeSpan.FromMinutes(1), t, rate: 0)), Is.False);
        Assert.That(Policy().Observe(t, 0.7, Leak(LeakState.Leaking, null, t)), Is.False);
        var off = new RecyclePolicy(new RecycleOptions { Enabled = true, TimeToLimitHorizon = TimeSpan.Zero }, Start);
        Assert.That(off.Observe(t, 0.7, Leak(LeakState.Leaking, TimeSpan.FromMinutes(1), t)), Is.False);
        Assert.That(Policy(enabled: false).Observe(t, 0.7, Leak(LeakState.Leaking, TimeSpan.FromMinutes(1), t)), Is.False);
    }

    [Test]
    public void The_defaults_recycle_five_minutes_before_the_limit_with_a_non_zero_exit_code()
    {
        var options = new RecycleOptions();

        Assert.That(options.TimeToLimitHorizon, Is.EqualTo(TimeSpan.FromMinutes(5)));
        Assert.That(options.ExitCode, Is.EqualTo(75));
    }

    [Test]
    public void The_monitor_recycles_a_leak_near_its_limit_with_the_configured_exit_code()
    {
        var lifetime = new FakeLifetime();
        using var h = new MonitorHarness(
            o =>
            {
                o.Recycle.Enabled = true;
                o.Recycle.ExitCode = 3;
            },
            lifetime).Start();
        h.Probe.Next = Samples.Memory(managedHeap: 300 * Samples.MiB, resident: 380 * Samples.MiB, containerLimit: 512 * Samples.MiB, workingSet: 360 * Samples.MiB, totalAvailable: 384 * Samples.MiB);
        h.StepBucket();
        Assert.That(lifetime.StopCalls, Is.Zero);

        h.Script.States[LeakSignals.ManagedHeap] = LeakState.Leaking;
        h.Script.TimeToLimit[LeakSignals.ManagedHeap] = TimeSpan.FromMinutes(3);
        h.StepBucket(3);

        Assert.That(lifetime.StopCalls, Is.EqualTo(1));
        Assert.That(h.ExitCodes, Is.EqualTo(new[] { 3 }));
        var line = h.LogsWithId(43).Single().Message;
        Assert.That(line, Does.Contain("managed_heap is leaking").And.Contain("GC heap limit (384 MiB)").And.Contain("exits with code 3"));
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
