using LeakGuard.Investigation;
using LeakGuard.Tests.Hosting.Fakes;
using NUnit.Framework;

namespace LeakGuard.Tests.Hosting;

/// <summary>
/// A leak usually enters Leaking before its investigation has a report: <c>LeakDetected</c> is raised again, and log 14
/// written, when the episode's report arrives, so the signature and the pattern reach handlers and logs.
/// </summary>
public sealed class LeakReportArrivalTests
{
    private const string Signature = "^lg1-[0-9A-F]{16}$";

    private static void WaitFor(Func<bool> condition) =>
        Assert.That(Eventually.Holds(condition, TimeSpan.FromSeconds(10), TimeSpan.FromMilliseconds(1)), Is.True, "condition not reached within 10 s");

    /// <summary>A started monitor two buckets in, with the <see cref="ILeakMonitor.LeakDetected"/> calls it makes collected.</summary>
    private static MonitorHarness Started(out List<LeakDetectedEventArgs> raised)
    {
        var h = new MonitorHarness().Start();
        var calls = new List<LeakDetectedEventArgs>();
        h.Monitor.LeakDetected += (_, e) => calls.Add(e);
        h.StepBucket(2);
        raised = calls;
        return h;
    }

    /// <summary>The episode's report, as the investigator publishes it: a static dictionary of sessions, explained.</summary>
    private static LeakReport SessionLeak(string signal, DateTimeOffset detectedAt) => new()
    {
        Signal = signal,
        DetectedAt = detectedAt,
        Snapshots = new SnapshotPair(),
        GrowingTypes =
        [
            new GrowingType
            {
                Type = "MyApp.Session",
                CountDelta = 120_000,
                RetentionPaths = [new RetentionPath { Root = "static field MyApp.SessionStore.Sessions", Share = 1, Path = ["Dictionary<Guid, MyApp.Session>", "MyApp.Session"] }],
            }.Explained(),
        ],
    };

    [Test]
    public void A_leak_detected_before_its_report_is_raised_again_with_the_signature_when_the_report_arrives()
    {
        var pending = new TaskCompletionSource<LeakReport?>(TaskCreationOptions.RunContinuationsAsynchronously);
        using var h = new MonitorHarness().Start();
        h.Investigator.Pending = pending;
        var raised = new List<LeakDetectedEventArgs>();
        h.Monitor.LeakDetected += (_, e) => raised.Add(e);
        try
        {
            h.StepBucket(2);
            h.Script.States[LeakSignals.ManagedHeap] = LeakState.Leaking;
            h.StepBucket();
            WaitFor(() => h.Investigator.Calls.Count == 1);

            Assert.That(raised.Select(e => e.Signature), Is.EqualTo(new string?[] { null }), "no report when Leaking began");
            Assert.That(h.LogsWithId(11).Single().Message, Does.Contain("signature none yet"));
            h.StepBucket(2);
            Assert.That(raised, Has.Count.EqualTo(1), "nothing new while the investigation runs");

            var report = SessionLeak(LeakSignals.ManagedHeap, h.Time.GetUtcNow());
            h.Investigator.AddReport(report);
            pending.SetResult(report);
            h.StepBucket();
        }
        finally
        {
            pending.TrySetResult(null);
        }

        var signature = raised[^1].Signature;
        var pattern = raised[^1].Report!.GrowingTypes[0].Pattern!;
        Assert.Multiple(() =>
        {
            Assert.That(raised, Has.Count.EqualTo(2));
            Assert.That(signature, Does.Match(Signature));
            Assert.That(raised[1].Verdict, Is.SameAs(raised[0].Verdict), "the verdict that entered Leaking");
            Assert.That(pattern.Id, Is.EqualTo("static-collection-as-cache"));
            var log = h.LogsWithId(14).Single().Message;
            TestContext.Out.WriteLine(log);
            Assert.That(log, Does.StartWith("Leak on managed_heap investigated: top growing type MyApp.Session, held by static field MyApp.SessionStore.Sessions"));
            Assert.That(log, Does.Contain($"(known pattern static-collection-as-cache: {pattern.Fix})"));
            Assert.That(log, Does.Contain("signature " + signature));
            Assert.That(h.LogsWithId(11).Count(), Is.EqualTo(1), "log 11 stays one line per detection");
        });

        h.StepBucket(3);
        Assert.That((raised.Count, h.LogsWithId(14).Count()), Is.EqualTo((2, 1)), "once per report");
    }

    [Test]
    public void A_leak_whose_report_came_first_is_raised_once_with_its_signature_and_pattern()
    {
        using var h = Started(out var raised);
        h.Script.States[LeakSignals.ManagedHeap] = LeakState.Suspected;
        h.StepBucket();
        h.FinishInvestigation();
        var report = SessionLeak(LeakSignals.ManagedHeap, h.Time.GetUtcNow());
        h.Investigator.AddReport(report);
        h.Script.States[LeakSignals.ManagedHeap] = LeakState.Leaking;
        h.StepBucket(3);

        var signature = report.GrowingTypes[0].Signature!;
        var fix = report.GrowingTypes[0].Pattern!.Fix;
        Assert.Multiple(() =>
        {
            Assert.That(raised.Single().Signature, Is.EqualTo(signature).And.Match(Signature));
            var log = h.LogsWithId(11).Single().Message;
            Assert.That(log, Does.Contain($"(known pattern static-collection-as-cache: {fix})"));
            Assert.That(log, Does.Contain("signature " + signature));
            Assert.That(h.LogsWithId(14), Is.Empty);
        });
    }

    [Test]
    public void A_leak_that_cleared_before_its_report_is_not_raised_again()
    {
        using var h = Started(out var raised);
        h.Script.States[LeakSignals.ManagedHeap] = LeakState.Leaking;
        h.StepBucket();
        h.FinishInvestigation();
        h.Script.States[LeakSignals.ManagedHeap] = LeakState.Stable;
        h.StepBucket();

        h.Investigator.AddReport(SessionLeak(LeakSignals.ManagedHeap, h.Time.GetUtcNow()));
        h.StepBucket(2);

        Assert.That(raised, Has.Count.EqualTo(1));
        Assert.That(h.LogsWithId(14), Is.Empty);
    }

    [Test]
    public void A_report_of_another_investigation_does_not_raise_the_leak_again()
    {
        using var h = Started(out var raised);
        h.Script.States[LeakSignals.ManagedHeap] = LeakState.Leaking;
        h.StepBucket();

        h.Investigator.AddReport(SessionLeak("manual", h.Time.GetUtcNow()));
        h.Investigator.AddReport(SessionLeak(LeakSignals.ProcessMemory, h.Time.GetUtcNow()));
        h.StepBucket(2);

        Assert.That(raised.Single().Report, Is.Null);
        Assert.That(h.LogsWithId(14), Is.Empty);
    }

    [TestCase(SnapshotMode.Manual)]
    [TestCase(SnapshotMode.Off)]
    public void Without_automatic_investigations_the_leaking_log_does_not_promise_a_report(SnapshotMode mode)
    {
        using var h = new MonitorHarness(o => o.Snapshots.Mode = mode).Start();
        h.StepBucket(2);
        h.Script.States[LeakSignals.ManagedHeap] = LeakState.Leaking;
        h.StepBucket();

        Assert.That(h.LogsWithId(11).Single().Message, Does.Contain("signature none.").And.Not.Contain("log 14"));
    }
}
