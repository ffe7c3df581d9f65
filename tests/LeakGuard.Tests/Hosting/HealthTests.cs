using LeakGuard.Hosting;
using LeakGuard.Tests.Hosting.Fakes;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using NUnit.Framework;

namespace LeakGuard.Tests.Hosting;

public sealed class HealthTests
{
    private static readonly HealthOptions Options = new() { TimeToLimitHorizon = TimeSpan.FromMinutes(30), UtilizationThreshold = 0.9 };

    private static Dictionary<string, LeakVerdict> Verdicts(params LeakVerdict[] verdicts) => verdicts.ToDictionary(v => v.Signal);

    private static LeakVerdict Verdict(string signal, LeakState state, TimeSpan? ttl = null) =>
        new() { Signal = signal, State = state, GrowthRatePerSecond = 2048, TimeToLimit = ttl, Reason = "Mann-Kendall p < 0.01." };

    [Test]
    public void Healthy_when_nothing_is_suspected()
    {
        var result = HealthEvaluator.Evaluate(Verdicts(Verdict(LeakSignals.ManagedHeap, LeakState.Stable, TimeSpan.FromMinutes(1))), 0.5, Options);

        Assert.That(result.Status, Is.EqualTo(HealthStatus.Healthy));
    }

    [Test]
    public void Degraded_while_a_leak_is_suspected_naming_the_signal()
    {
        var result = HealthEvaluator.Evaluate(Verdicts(Verdict(LeakSignals.Gen2, LeakState.Suspected, TimeSpan.FromHours(5))), 0.5, Options);

        Assert.That(result.Status, Is.EqualTo(HealthStatus.Degraded));
        Assert.That(result.Description, Does.StartWith("gen2 is suspected of leaking: it grows +7.03 MiB/h."));
    }

    [Test]
    public void Unhealthy_when_a_growing_signal_reaches_the_limit_within_the_horizon()
    {
        var result = HealthEvaluator.Evaluate(Verdicts(Verdict(LeakSignals.ProcessMemory, LeakState.Leaking, TimeSpan.FromMinutes(12))), 0.5, Options);

        Assert.That(result.Status, Is.EqualTo(HealthStatus.Unhealthy));
        Assert.That(result.Description, Is.EqualTo("process_memory grows +7.03 MiB/h and is projected to reach the memory limit in 12 min (horizon 30 min)."));
    }

    [Test]
    public void Unhealthy_when_utilization_is_over_the_threshold()
    {
        var result = HealthEvaluator.Evaluate(Verdicts(), 0.95, Options);

        Assert.That(result.Status, Is.EqualTo(HealthStatus.Unhealthy));
        Assert.That(result.Description, Does.Contain("95.0 %").Or.Contain("95.0%"));
    }

    [Test]
    public async Task The_health_check_is_registered_and_reflects_the_monitor()
    {
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        var probe = new FakeMemoryProbe { Next = Samples.Memory(resident: 980 * Samples.MiB, containerLimit: 1000 * Samples.MiB) };
        builder.Services.AddSingleton(new MonitorComponents
        {
            CreateGcEventSource = (_, _) => new FakeGcEventSource(),
            CreateMemoryProbe = _ => probe,
            CreateInvestigator = (_, _, _) => new FakeInvestigator(),
        });
        builder.Services.AddHealthChecks().AddLeakGuard(tags: ["live"]);
        using var host = builder.Build();
        var monitor = host.Services.GetRequiredService<LeakMonitor>();
        monitor.StartSampling(runLoop: false);
        monitor.Tick();

        var report = await host.Services.GetRequiredService<HealthCheckService>().CheckHealthAsync();

        Assert.That(report.Entries["leakguard"].Status, Is.EqualTo(HealthStatus.Unhealthy));
        Assert.That(report.Entries["leakguard"].Tags, Does.Contain("live"));
    }

    [Test]
    public async Task A_managed_leak_is_unhealthy_near_the_GC_heap_limit_while_the_container_still_has_room()
    {
        // 512 MiB container, heap limit 384 MiB: the heap at 360 MiB is 94 % of the limit that will end the process,
        // while the cgroup's working set (380 MiB) is only 74 % of the container's.
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        var probe = new FakeMemoryProbe
        {
            Next = Samples.Memory(managedHeap: 360 * Samples.MiB, resident: 400 * Samples.MiB, containerLimit: 512 * Samples.MiB, workingSet: 380 * Samples.MiB, totalAvailable: 384 * Samples.MiB),
        };
        builder.Services.AddSingleton(new MonitorComponents
        {
            CreateGcEventSource = (_, _) => new FakeGcEventSource(),
            CreateMemoryProbe = _ => probe,
            CreateInvestigator = (_, _, _) => new FakeInvestigator(),
        });
        builder.Services.AddHealthChecks().AddLeakGuard();
        using var host = builder.Build();
        var monitor = host.Services.GetRequiredService<LeakMonitor>();
        monitor.StartSampling(runLoop: false);
        monitor.Tick();

        var entry = (await host.Services.GetRequiredService<HealthCheckService>().CheckHealthAsync()).Entries["leakguard"];

        Assert.That(entry.Status, Is.EqualTo(HealthStatus.Unhealthy));
        Assert.That(entry.Description, Does.Contain("of its GC heap limit"));
    }

    [Test]
    public void Unhealthy_by_time_to_limit_names_the_limit()
    {
        var verdict = Verdict(LeakSignals.ManagedHeap, LeakState.Leaking, TimeSpan.FromMinutes(5)).WithLimit(384 * Samples.MiB, LimitNames.GcHeapLimit, LimitNames.GcHeap);

        var result = HealthEvaluator.Evaluate(Verdicts(verdict), 0.5, Options);

        Assert.That(result.Description, Does.Contain("projected to reach the GC heap limit in 5 min"));
    }
}
