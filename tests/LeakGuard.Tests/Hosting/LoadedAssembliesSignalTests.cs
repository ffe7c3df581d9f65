using LeakGuard.Hosting;
using LeakGuard.Sources;
using LeakGuard.Tests.Hosting.Fakes;
using LeakGuard.Tests.Investigation;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
using Microsoft.Extensions.Time.Testing;
using NUnit.Framework;

namespace LeakGuard.Tests.Hosting;

/// <summary>The generated-assembly leak through the real probe and the real detector (only the clock and GC events are fakes).</summary>
[NonParallelizable]
public sealed class LoadedAssembliesSignalTests
{
    [Test]
    public void A_serializer_generated_per_call_raises_the_loaded_assemblies_signal_and_the_leak_log_names_the_pattern()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 12, 3, 12, 0, 0, TimeSpan.Zero));
        var options = new LeakGuardOptions { WarmUp = TimeSpan.Zero, SampleInterval = TimeSpan.FromSeconds(1) };
        options.Detection.Window = TimeSpan.FromSeconds(64);
        options.Snapshots.Mode = SnapshotMode.Off;
        var logs = new FakeLogCollector();
        using var loggers = LoggerFactory.Create(b => b.AddProvider(new FakeLoggerProvider(logs)).SetMinimumLevel(LogLevel.Information));
        var gc = new FakeGcEventSource();
        var components = new MonitorComponents
        {
            CreateGcEventSource = (_, _) => gc,
            CreateMemoryProbe = events => new MemoryProbe(events),
            CreateInvestigator = (_, _, _) => new FakeInvestigator(),
        };
        using var monitor = new LeakMonitor(options, components, time, loggers, null, null);
        monitor.StartSampling(runLoop: false);

        // Quiet first: the signal is sampled and judged, and nothing generated means nothing suspected.
        for (var i = 0; i < 120; i++)
        {
            time.Advance(options.SampleInterval);
            monitor.Tick();
        }

        Assert.That(monitor.Verdicts.TryGetValue(LeakSignals.LoadedAssemblies, out var quiet), Is.True, "the signal is sampled");
        Assert.That(quiet!.State, Is.LessThan(LeakState.Suspected), quiet.Reason);

        // Then one serializer per request, two requests a second: two generated assemblies a second.
        var steps = 0;
        while (steps++ < 900 && monitor.Verdicts[LeakSignals.LoadedAssemblies].State < LeakState.Leaking)
        {
            GeneratedCodeLeaks.SerializePerCall(2);
            time.Advance(options.SampleInterval);
            monitor.Tick();
        }

        var verdict = monitor.Verdicts[LeakSignals.LoadedAssemblies];
        TestContext.Out.WriteLine($"{steps} steps: {verdict.State}, {verdict.GrowthRatePerSecond:0.00}/s, {verdict.Reason}");
        Assert.That(verdict.State, Is.EqualTo(LeakState.Leaking), verdict.Reason);
        Assert.That(verdict.GrowthRatePerSecond, Is.InRange(1.0, 3.0), "two assemblies per second");
        var leak = logs.GetSnapshot().Single(record => record.Id.Id == 11 && record.Message.Contains(LeakSignals.LoadedAssemblies, StringComparison.Ordinal));
        Assert.That(leak.Message, Does.Contain("Microsoft.GeneratedCode ×10").And.Contain("known pattern xml-serializer-per-call"));
    }
}
