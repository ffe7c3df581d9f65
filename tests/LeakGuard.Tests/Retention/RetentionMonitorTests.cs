using System.Runtime.CompilerServices;
using LeakGuard.Hosting;
using LeakGuard.Retention;
using LeakGuard.Tests.Hosting.Fakes;
using LeakGuard.Tests.Testing.Leaks;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
using Microsoft.Extensions.Time.Testing;
using NUnit.Framework;

namespace LeakGuard.Tests.Retention;

/// <summary>The watch inside the monitor: the <c>retained_objects</c> signal, the threshold and the investigation.</summary>
[NonParallelizable]
public sealed class RetentionMonitorTests
{
    private FakeTimeProvider _time = null!;
    private FakeLogCollector _logs = null!;
    private RecordingInvestigator _investigator = null!;
    private int _gen2;

    [SetUp]
    public void SetUp()
    {
        _time = new FakeTimeProvider(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));
        _logs = new FakeLogCollector();
        _investigator = new RecordingInvestigator();
        _gen2 = 0;
    }

    [TearDown]
    public void CleanUp()
    {
        ConfigurationBus.Reset();
        _investigator.Dispose();
    }

    [Test]
    public void Handlers_kept_by_a_static_event_reach_the_threshold_and_start_an_investigation_with_their_labels()
    {
        using var monitor = CreateMonitor(threshold: 2);
        var listeners = new[] { new ReloadListener(), new ReloadListener() };
        foreach (var listener in listeners)
        {
            ConfigurationBus.Subscribe(listener);
            monitor.ExpectCollected(listener, "settings page listener");
        }

        Step(monitor, 11);
        Assert.That(_investigator.RetainedCalls, Is.Empty, "no full GC since the grace period ended");
        _gen2++;
        Step(monitor, 20);

        SpinWait.SpinUntil(() => { lock (_investigator.RetainedCalls) { return _investigator.RetainedCalls.Count > 0; } }, TimeSpan.FromSeconds(10));
        var groups = _investigator.RetainedCalls.Single();
        Assert.That(groups.Single().Type, Is.EqualTo(typeof(ReloadListener)));
        Assert.That(groups[0].Count, Is.EqualTo(2));
        Assert.That(groups[0].Labels, Is.EqualTo(new[] { "settings page listener (×2)" }));
        Assert.That(monitor.Verdicts[LeakSignals.RetainedObjects].State, Is.EqualTo(LeakState.Leaking));
        Assert.That(_logs.GetSnapshot().Any(r => r.Id.Id == 200 && r.Message.Contains("settings page listener (×2)", StringComparison.Ordinal)), Is.True);
        GC.KeepAlive(listeners);
    }

    [Test]
    public void Watched_objects_that_die_keep_the_signal_stable_and_start_nothing()
    {
        using var monitor = CreateMonitor(threshold: 1);
        WatchGarbage(monitor, 50);
        GC.Collect(2, GCCollectionMode.Forced, blocking: true, compacting: true);
        GC.WaitForPendingFinalizers();

        Step(monitor, 11);
        _gen2++;
        Step(monitor, 20);

        Assert.That(_investigator.RetainedCalls, Is.Empty);
        Assert.That(monitor.Verdicts[LeakSignals.RetainedObjects].State, Is.EqualTo(LeakState.Stable));
        Assert.That(monitor.RetentionWatch!.Watched, Is.Zero);
    }

    [Test]
    public void Without_watched_objects_the_signal_is_not_reported()
    {
        using var monitor = CreateMonitor(threshold: 1);
        Step(monitor, 20);

        Assert.That(monitor.Verdicts.ContainsKey(LeakSignals.RetainedObjects), Is.False);
    }

    [Test]
    public void Retention_settings_are_validated_with_their_keys()
    {
        var options = new LeakGuardOptions();
        options.Retention.Threshold = 0;
        options.Retention.GracePeriod = TimeSpan.FromDays(2);

        var failure = Assert.Throws<Microsoft.Extensions.Options.OptionsValidationException>(() => LeakGuardOptionsValidation.ThrowIfInvalid(options));

        Assert.That(failure!.Message, Does.Contain("Retention:Threshold"));
        Assert.That(failure.Message, Does.Contain("Retention:GracePeriod"));
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void WatchGarbage(LeakMonitor monitor, int count)
    {
        for (var i = 0; i < count; i++)
        {
            monitor.ExpectCollected(new ReloadListener(), "short-lived listener");
        }
    }

    private LeakMonitor CreateMonitor(int threshold)
    {
        var options = new LeakGuardOptions { WarmUp = TimeSpan.Zero, SampleInterval = TimeSpan.FromSeconds(1) };
        options.Detection.Window = TimeSpan.FromSeconds(64);
        options.Retention.Threshold = threshold;
        var components = new MonitorComponents
        {
            CreateGcEventSource = (_, _) => new FakeGcEventSource(),
            CreateMemoryProbe = _ => new FakeMemoryProbe(),
            CreateInvestigator = (_, _, _) => _investigator,
            Gen2CollectionCount = () => _gen2,
        };
        var loggerFactory = LoggerFactory.Create(b => b.AddProvider(new FakeLoggerProvider(_logs)).SetMinimumLevel(LogLevel.Trace));
        var monitor = new LeakMonitor(options, components, _time, loggerFactory, meterFactory: null, lifetime: null);
        monitor.StartSampling(runLoop: false);
        return monitor;
    }

    private void Step(LeakMonitor monitor, int count)
    {
        for (var i = 0; i < count; i++)
        {
            _time.Advance(TimeSpan.FromSeconds(1));
            monitor.Tick();
        }
    }
}
