using LeakGuard.Hosting;
using LeakGuard.Tests.Hosting.Fakes;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Time.Testing;
using NUnit.Framework;
using OpenTelemetry;
using OpenTelemetry.Metrics;

namespace LeakGuard.Tests.Telemetry;

/// <summary>Through the real OpenTelemetry SDK, in a generic host whose only LeakGuard line is <c>AddLeakGuard()</c>.</summary>
public sealed class OpenTelemetryEndToEndTests
{
    private static readonly string[] ContractInstruments =
    [
        "leakguard.leak.suspected", "leakguard.leak.detections", "leakguard.memory.growth_rate", "leakguard.memory.time_to_limit",
        "leakguard.memory.limit", "leakguard.memory.limit_utilization", "leakguard.memory.native", "leakguard.heap.live_size", "leakguard.assembly.count",
        "leakguard.gc.pause.duration", "leakguard.process.restarts", "leakguard.snapshot.duration", "leakguard.samples.dropped",
    ];

    private static void WaitFor(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (!condition() && DateTime.UtcNow < deadline)
        {
            Thread.Sleep(1);
        }

        Assert.That(condition(), Is.True, "condition not reached within 10 s");
    }

    private static (IHost Host, List<MetricSnapshot> Exported) BuildHost(Action<IServiceCollection>? fakes = null)
    {
        var exported = new List<MetricSnapshot>();
        var builder = Host.CreateApplicationBuilder();
        fakes?.Invoke(builder.Services);
        builder.Services.AddLeakGuard();
        builder.Services.AddOpenTelemetry().WithMetrics(metrics => metrics.AddLeakGuardInstrumentation().AddInMemoryExporter(exported));
        return (builder.Build(), exported);
    }

    private static MetricSnapshot? Find(List<MetricSnapshot> exported, string name) => exported.LastOrDefault(m => m.Name == name);

    private static long SuspectedValue(MetricSnapshot metric, string signal)
    {
        foreach (var point in metric.MetricPoints)
        {
            foreach (var tag in point.Tags)
            {
                if (tag.Key == "leakguard.signal" && (string?)tag.Value == signal)
                {
                    return point.GetGaugeLastValueLong();
                }
            }
        }

        throw new AssertionException($"no point for {signal}");
    }

    [Test]
    public async Task A_synthetic_leak_drives_leakguard_leak_suspected_to_one_through_the_sdk()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));
        var probe = new FakeMemoryProbe();
        var script = new ScriptedVerdicts();
        var (host, exported) = BuildHost(services =>
        {
            services.AddSingleton<TimeProvider>(time);
            services.AddSingleton(new MonitorComponents
            {
                CreateGcEventSource = (_, _) => new FakeGcEventSource(),
                CreateMemoryProbe = _ => probe,
                CreateEvaluator = script.Factory,
                CreateInvestigator = (_, _, _) => new FakeInvestigator(),
            });
            services.Configure<LeakGuardOptions>(o =>
            {
                o.WarmUp = TimeSpan.Zero;
                o.Detection.Window = TimeSpan.FromSeconds(64);
            });
        });
        using (host)
        {
            await host.StartAsync();
            var provider = host.Services.GetRequiredService<MeterProvider>();
            var interval = host.Services.GetRequiredService<ILeakMonitor>().Options.SampleInterval;

            // The loop's timer may not exist yet when time first moves: keep moving it until the loop has read.
            void Tick()
            {
                var reads = probe.Reads;
                WaitFor(() =>
                {
                    time.Advance(interval);
                    Thread.Sleep(1);
                    return probe.Reads > reads;
                });
            }

            Tick();
            Tick();
            provider.ForceFlush();
            Assert.That(SuspectedValue(Find(exported, "leakguard.leak.suspected")!, LeakSignals.ManagedHeap), Is.Zero);

            var growing = 100 * Samples.MiB;
            script.States[LeakSignals.ManagedHeap] = LeakState.Suspected;
            for (var i = 0; i < 3; i++)
            {
                growing += 10 * Samples.MiB;
                probe.Next = Samples.Memory(managedHeap: growing);
                Tick();
            }

            exported.Clear();
            provider.ForceFlush();
            Assert.That(SuspectedValue(Find(exported, "leakguard.leak.suspected")!, LeakSignals.ManagedHeap), Is.EqualTo(1));
            Assert.That(SuspectedValue(Find(exported, "leakguard.leak.suspected")!, LeakSignals.Threads), Is.Zero);
            await host.StopAsync();
        }
    }

    [Test]
    public async Task A_generic_host_with_AddLeakGuard_exports_every_contract_instrument()
    {
        var directory = Directory.CreateTempSubdirectory("leakguard-otel-").FullName;
        File.WriteAllBytes(Path.Combine(directory, RestartStateStore.FileName), RestartStateStore.Serialize(new RestartState { CleanExit = true }));
        var gc = new FakeGcEventSource();
        var probe = new FakeMemoryProbe { Next = Samples.Memory(containerLimit: 1024 * Samples.MiB) };
        var script = new ScriptedVerdicts();
        script.States[LeakSignals.ManagedHeap] = LeakState.Leaking;
        script.TimeToLimit[LeakSignals.ManagedHeap] = TimeSpan.FromHours(1);
        var (host, exported) = BuildHost(services =>
        {
            services.AddSingleton(new MonitorComponents
            {
                CreateGcEventSource = (_, _) => gc,
                CreateMemoryProbe = _ => probe,
                CreateEvaluator = script.Factory,
                CreateInvestigator = (_, _, _) => new FakeInvestigator(),
            });
            services.Configure<LeakGuardOptions>(o =>
            {
                o.WarmUp = TimeSpan.Zero;
                o.SampleInterval = TimeSpan.FromMilliseconds(10);
                o.Detection.Window = TimeSpan.FromSeconds(1);
                o.Snapshots.Mode = SnapshotMode.Manual;
                o.StateDirectory = directory;
            });
        });
        try
        {
            using (host)
            {
                await host.StartAsync();
                var monitor = host.Services.GetRequiredService<ILeakMonitor>();
                gc.Raise(Samples.Gc(1, 2, TimeSpan.FromMilliseconds(12)));
                await monitor.CaptureHeapSnapshotAsync();
                WaitFor(() => monitor.Verdicts[LeakSignals.ManagedHeap].State == LeakState.Leaking);
                WaitFor(() => probe.Reads > 2);

                host.Services.GetRequiredService<MeterProvider>().ForceFlush();

                Assert.That(exported.Select(m => m.Name).Distinct(), Is.EquivalentTo(ContractInstruments));
                Assert.That(Find(exported, "leakguard.memory.limit")!.Unit, Is.EqualTo("By"));
                Assert.That(Find(exported, "leakguard.gc.pause.duration")!.MetricType, Is.EqualTo(MetricType.Histogram));
                await host.StopAsync();
            }
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    [Test]
    public async Task With_the_default_sources_the_data_independent_instruments_are_exported()
    {
        var (host, exported) = BuildHost();
        using (host)
        {
            await host.StartAsync();
            host.Services.GetRequiredService<MeterProvider>().ForceFlush();

            Assert.That(exported.Select(m => m.Name), Does.Contain("leakguard.leak.suspected").And.Contain("leakguard.samples.dropped"));
            Assert.That(exported.Select(m => m.Name), Is.SubsetOf(ContractInstruments), "nothing outside the contract, nothing from System.Runtime");
            await host.StopAsync();
        }
    }
}
