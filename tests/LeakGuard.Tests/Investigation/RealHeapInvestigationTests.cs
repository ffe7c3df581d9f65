using LeakGuard.Investigation;
using LeakGuard.TestSupport;
using Microsoft.Extensions.Logging.Testing;
using NUnit.Framework;

namespace LeakGuard.Tests.Investigation;

/// <summary>
/// Real snapshots of this test process (the runtime pauses it for each): a leak grows between snapshot A and B
/// and the report must name it and who holds it. Heaps stay small (tens of thousands of objects) on a shared machine.
/// </summary>
[NonParallelizable]
[Category("HeapSnapshot")]
public class RealHeapInvestigationTests
{
    private const int Growth = 20_000;

    private static async Task<LeakReport> InvestigateWhileGrowing(Action grow)
    {
        using var investigator = new LeakInvestigator(new LeakGuardOptions { Snapshots = { Delay = TimeSpan.Zero } }, TimeProvider.System, new FakeLogger());
        var real = investigator.TakeSnapshot;
        var calls = 0;
        investigator.TakeSnapshot = (buffer, token) =>
        {
            if (calls++ == 1)
            {
                grow();
            }

            return real(buffer, token);
        };

        var report = await investigator.InvestigateAsync(null, automatic: false, null, CancellationToken.None);

        Assert.That(report, Is.Not.Null, "the investigation produced no report");
        return report!;
    }

    private static GrowingType Growing(LeakReport report, string type)
    {
        var found = report.GrowingTypes.FirstOrDefault(t => t.Type == type);
        Assert.That(found, Is.Not.Null, $"{type} is not among the growing types: {string.Join(", ", report.GrowingTypes.Select(t => t.Type))}");
        return found!;
    }

    [Test]
    public async Task Growing_static_dictionary_is_reported_with_its_value_type_and_static_field()
    {
        var report = await InvestigateWhileGrowing(() => SessionRegistry.Grow(Growth));

        var session = Growing(report, "LeakGuard.Tests.Investigation.LeakySession");
        Assert.That(session.CountDelta, Is.GreaterThanOrEqualTo(Growth));
        var path = session.RetentionPaths[0];
        Assert.That(path.Root, Is.EqualTo("static field LeakGuard.Tests.Investigation.SessionRegistry.Sessions"), "a static root names its declaring type");
        Assert.That(path.Share, Is.GreaterThan(0.9));
        Assert.That(path.Path[0], Is.EqualTo("Dictionary<Guid, LeakGuard.Tests.Investigation.LeakySession>"));
        Assert.That(path.Path[^1], Is.EqualTo("LeakGuard.Tests.Investigation.LeakySession"));
    }

    [Test]
    public async Task Event_handler_never_removed_is_held_through_the_events_delegate()
    {
        var report = await InvestigateWhileGrowing(() => ForgottenSubscriber.Grow(Growth / 4));

        var subscriber = Growing(report, "LeakGuard.Tests.Investigation.ForgottenSubscriber");
        var path = subscriber.RetentionPaths[0];
        Assert.That(path.Root, Is.EqualTo("static field LeakGuard.Tests.Investigation.Publisher.Instance"));
        Assert.That(path.Path, Does.Contain("EventHandler"));
        Assert.That(path.Path[0], Is.EqualTo("LeakGuard.Tests.Investigation.Publisher"));
    }

    [Test]
    public async Task Closures_kept_in_a_list_are_named_as_closures_of_their_method()
    {
        var report = await InvestigateWhileGrowing(() => CallbackList.AddCallbacks(Growth / 2));

        var closure = report.GrowingTypes.FirstOrDefault(t => t.Type.StartsWith("closure in LeakGuard.Tests.Investigation.CallbackList.AddCallbacks (<>c__DisplayClass", StringComparison.Ordinal));
        Assert.That(closure, Is.Not.Null, string.Join(", ", report.GrowingTypes.Select(t => t.Type)));
        Assert.That(closure!.RetentionPaths[0].Root, Is.EqualTo("static field LeakGuard.Tests.Investigation.CallbackList.Callbacks"));
        Assert.That(closure.RetentionPaths[0].Path, Does.Contain("Func<Int32>"));
    }

    [Test]
    public async Task List_of_byte_arrays_is_reported_as_Byte_array_with_its_root()
    {
        var report = await InvestigateWhileGrowing(() => BufferPool.Grow(Growth / 2));

        var buffers = Growing(report, "Byte[]");
        Assert.That(buffers.BytesDelta, Is.GreaterThanOrEqualTo(Growth / 2 * 256));
        Assert.That(buffers.RetentionPaths[0].Root, Is.EqualTo("static field LeakGuard.Tests.Investigation.BufferPool.Buffers"));
        Assert.That(buffers.RetentionPaths[0].Path, Is.EqualTo(new[] { "List<Byte[]>", "Byte[]" }));
    }

    [Test]
    public async Task Snapshot_with_a_tiny_buffer_fails_and_no_partial_report_is_made()
    {
        var logger = new FakeLogger();
        using var investigator = new LeakInvestigator(new LeakGuardOptions { Snapshots = { Delay = TimeSpan.Zero } }, TimeProvider.System, logger)
        {
            FixedBufferMegabytes = 1,
        };
        SessionRegistry.Grow(Growth);

        var failure = Assert.ThrowsAsync<InvalidOperationException>(() => investigator.CaptureHeapSnapshotAsync(CancellationToken.None));
        var report = await investigator.InvestigateAsync(null, automatic: false, null, CancellationToken.None);

        Assert.That(failure!.InnerException, Is.InstanceOf<HeapSnapshotException>().With.Property(nameof(HeapSnapshotException.EventsWereLost)).True);
        Assert.That(report, Is.Null);
        Assert.That(investigator.Reports, Is.Empty);
        Assert.That(logger.Collector.GetSnapshot().Select(r => r.Id.Id), Does.Contain(103));
    }

    [Test]
    public async Task Manual_capture_summarises_the_live_heap()
    {
        using var investigator = new LeakInvestigator(new LeakGuardOptions(), TimeProvider.System, new FakeLogger());
        SessionRegistry.Grow(100);

        var summary = await investigator.CaptureHeapSnapshotAsync(CancellationToken.None);

        Assert.That(summary.ObjectCount, Is.GreaterThan(SessionRegistry.Sessions.Count));
        Assert.That(summary.Types.Single(t => t.Type == "LeakGuard.Tests.Investigation.LeakySession").Count, Is.EqualTo(SessionRegistry.Sessions.Count));
        Assert.That(summary.Types.Select(t => t.Type), Has.None.StartsWith("LeakGuard.Investigation."));
    }

    [Test]
    public async Task An_idle_process_report_names_nothing_of_LeakGuard_or_its_diagnostics_libraries()
    {
        // Twice: the second investigation diffs two snapshots each holding the previous one's leftovers.
        await InvestigateWhileGrowing(() => { });
        var report = await InvestigateWhileGrowing(() => { });
        TestContext.Out.Write(LeakReportText.Tree(report));

        // Checked by a name test of its own (ForeignNames, shared with the zoo), not by the library's filter it checks.
        var named = report.GrowingTypes
            .SelectMany(t => new[] { t.Type }
                .Concat(t.RetentionPaths.SelectMany(p => p.Path.Append(p.Root)))
                .Concat(t.AllocationSites?.SelectMany(site => site.Frames) ?? []))
            .Concat(report.LargestTypes?.Select(t => t.Type) ?? [])
            .ToArray();
        Assert.That(named, Is.Not.Empty, "neither growing nor largest types");
        Assert.That(named.Where(n => ForeignNames.IsLeakGuards(n, "LeakGuard.Tests")), Is.Empty);
        Assert.That(named.Where(n => n.Contains("ProviderGuid", StringComparison.Ordinal)), Is.Empty);
    }
}
