using LeakGuard.Hosting;
using LeakGuard.Tests.Hosting.Fakes;
using NUnit.Framework;

namespace LeakGuard.Tests.Hosting;

public sealed class LeakMonitorLifecycleTests
{
    [Test]
    public async Task Start_without_a_host_returns_a_running_monitor_that_disposal_stops()
    {
        var monitor = LeakMonitor.Start(new LeakGuardOptions { SampleInterval = TimeSpan.FromMilliseconds(10) });
        Assert.That(monitor.IsRunning, Is.True);
        Assert.That(monitor, Is.InstanceOf<ILeakMonitor>().And.InstanceOf<IAsyncDisposable>());

        await monitor.DisposeAsync();
        Assert.That(monitor.IsRunning, Is.False);
        Assert.DoesNotThrow(monitor.Dispose, "disposing twice is harmless");
    }

    [Test]
    public void Starting_twice_creates_the_sources_once()
    {
        var created = 0;
        using var h = new MonitorHarness();
        var monitor = new LeakMonitor(
            h.Options,
            new MonitorComponents
            {
                CreateGcEventSource = (_, _) =>
                {
                    created++;
                    return new FakeGcEventSource();
                },
                CreateMemoryProbe = _ => new FakeMemoryProbe(),
                CreateInvestigator = (_, _, _) => new FakeInvestigator(),
            },
            h.Time,
            h.LoggerFactory,
            h.MeterFactory,
            lifetime: null);
        monitor.StartSampling(runLoop: false);
        monitor.StartSampling(runLoop: false);
        monitor.Dispose();

        Assert.That(created, Is.EqualTo(1));
    }

    [Test]
    public async Task Stopping_unsubscribes_and_disposes_the_sources_and_completes_the_verdict_stream()
    {
        using var h = new MonitorHarness().Start();
        var completed = false;
        h.Monitor.VerdictChanges.Subscribe(new CompletionObserver(() => completed = true));
        Assert.That(h.Gc.HasSubscribers, Is.True);

        await h.Monitor.StopAsync();

        Assert.That(h.Gc.HasSubscribers, Is.False);
        Assert.That(h.Gc.Disposed && h.Probe.Disposed, Is.True);
        Assert.That(completed, Is.True);
        Assert.That(h.LogsWithId(3), Is.Not.Empty);
    }

    [Test]
    public void Sources_that_fail_to_start_turn_monitoring_off_without_throwing()
    {
        using var h = new MonitorHarness();
        var monitor = new LeakMonitor(
            h.Options,
            new MonitorComponents
            {
                CreateGcEventSource = (_, _) => throw new NotSupportedException("no EventListener here"),
                CreateInvestigator = (_, _, _) => new FakeInvestigator(),
            },
            h.Time,
            h.LoggerFactory,
            h.MeterFactory,
            lifetime: null);

        Assert.DoesNotThrow(() => monitor.StartSampling(runLoop: false));
        Assert.That(monitor.IsRunning, Is.False);
        Assert.That(h.LogsWithId(93), Is.Not.Empty);
        monitor.Dispose();
    }

    [Test]
    public void A_throwing_observer_is_logged_and_the_others_still_see_the_change()
    {
        using var h = new MonitorHarness().Start();
        var seen = 0;
        using var bad = h.Monitor.VerdictChanges.Subscribe(new ThrowingObserver());
        using var good = h.Monitor.VerdictChanges.Subscribe(new CountingObserver(() => seen++));
        h.StepBucket(2);

        Assert.That(seen, Is.GreaterThan(0));
        Assert.That(h.LogsWithId(92), Is.Not.Empty);
    }

    [Test]
    public void An_unsubscribed_observer_sees_nothing_more()
    {
        using var h = new MonitorHarness().Start();
        var seen = 0;
        h.Monitor.VerdictChanges.Subscribe(new CountingObserver(() => seen++)).Dispose();
        h.StepBucket(3);

        Assert.That(seen, Is.Zero);
    }

    [Test]
    public void The_default_components_use_the_signal_detector()
    {
        var evaluator = MonitorComponents.Default.CreateEvaluator(LeakSignals.ManagedHeap, LeakGuard.Detection.DetectorSettings.FromOptions(new LeakGuardOptions()));

        Assert.That(evaluator, Is.InstanceOf<DetectorEvaluator>());
    }

    private sealed class CompletionObserver(Action onCompleted) : IObserver<LeakVerdict>
    {
        public void OnCompleted() => onCompleted();

        public void OnError(Exception error)
        {
        }

        public void OnNext(LeakVerdict value)
        {
        }
    }

    private sealed class CountingObserver(Action onNext) : IObserver<LeakVerdict>
    {
        public void OnCompleted()
        {
        }

        public void OnError(Exception error)
        {
        }

        public void OnNext(LeakVerdict value) => onNext();
    }

    private sealed class ThrowingObserver : IObserver<LeakVerdict>
    {
        public void OnCompleted()
        {
        }

        public void OnError(Exception error)
        {
        }

        public void OnNext(LeakVerdict value) => throw new InvalidOperationException("observer bug");
    }

    [Test]
    public void An_unwritable_reports_directory_is_said_once_at_start()
    {
        var parent = Directory.CreateTempSubdirectory("leakguard-reports-").FullName;
        try
        {
            // A file where the directory should be: as unwritable as a read-only mount, even for root.
            var reports = Path.Combine(parent, "reports");
            File.WriteAllText(reports, "not a directory");
            using var h = new MonitorHarness(o => o.Reports.Directory = reports).Start();
            h.Step(3);

            var warning = h.LogsWithId(53).Single();
            Assert.That(warning.Message, Does.Contain("LeakGuard:Reports:Directory").And.Contain(reports));
            Assert.That(warning.Exception, Is.Null);
            Assert.That(Directory.GetFileSystemEntries(parent), Is.EqualTo(new[] { reports }), "the probe leaves nothing behind");
        }
        finally
        {
            Directory.Delete(parent, recursive: true);
        }
    }

    [Test]
    public void A_writable_reports_directory_is_checked_without_a_trace()
    {
        var reports = Directory.CreateTempSubdirectory("leakguard-reports-").FullName;
        try
        {
            using var h = new MonitorHarness(o => o.Reports.Directory = reports).Start();

            Assert.That(h.LogsWithId(53), Is.Empty);
            Assert.That(Directory.GetFileSystemEntries(reports), Is.Empty);
        }
        finally
        {
            Directory.Delete(reports, recursive: true);
        }
    }
}
