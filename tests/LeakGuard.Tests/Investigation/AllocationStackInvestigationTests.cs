using LeakGuard.Investigation;
using Microsoft.Extensions.Logging.Testing;
using NUnit.Framework;

namespace LeakGuard.Tests.Investigation;

/// <summary>
/// Real investigations of this test process with the allocation recording on: a known method allocates the growing
/// type while the window between the two snapshots is open, and the report must name that method as where it was
/// allocated — with .NET 10's AllocationSampled and with the AllocationTick fallback of earlier runtimes.
/// </summary>
[NonParallelizable]
[Category("HeapSnapshot")]
public class AllocationStackInvestigationTests
{
    private const int Growth = 100_000;

    [TearDown]
    public void Release() => RecordFactory.Clear();

    [TestCase(true, "AllocationSampled")]
    [TestCase(false, "AllocationTick")]
    public async Task Top_stack_of_the_top_growing_type_contains_the_method_that_allocates_it(bool sampled, string eventName)
    {
        var kind = sampled ? AllocationEventKind.Sampled : AllocationEventKind.Tick;
        var logger = new FakeLogger();
        using var investigator = new LeakInvestigator(new LeakGuardOptions { Snapshots = { Delay = TimeSpan.Zero } }, TimeProvider.System, logger)
        {
            RecordingKind = kind,
        };
        investigator.StartRecording = async (recorded, token) =>
        {
            var recording = await AllocationRecording.StartAsync(recorded, token);
            RecordFactory.CreateRecords(Growth);
            return recording;
        };

        var report = await investigator.InvestigateAsync(null, automatic: false, null, CancellationToken.None);

        Assert.That(report, Is.Not.Null);
        TestContext.Out.WriteLine(LeakReportText.Tree(report!));
        Assert.That(report!.Allocations, Is.Not.Null);
        Assert.That(report.Allocations!.Missing, Is.Null);
        Assert.That(report.Allocations.Event, Is.EqualTo(eventName));
        var top = report.GrowingTypes[0];
        Assert.That(top.Type, Is.EqualTo("LeakGuard.Tests.Investigation.AllocatedRecord"), string.Join(", ", report.GrowingTypes.Select(t => t.Type)));
        Assert.That(top.AllocationSites, Is.Not.Null.And.Not.Empty);
        var site = top.AllocationSites![0];
        Assert.That(site.Frames, Has.Some.Contains("LeakGuard.Tests.Investigation.RecordFactory.CreateRecords"), string.Join(" | ", site.Frames));
        Assert.That(site.Share, Is.GreaterThan(0.5));
        Assert.That(site.EstimatedBytes, Is.GreaterThan(0));
        Assert.That(LeakReportText.Tree(report), Does.Contain("allocated at"));
        Assert.That(logger.Collector.GetSnapshot().Single(r => r.Id.Id == 107).Message, Does.Contain("Allocated at LeakGuard.Tests!LeakGuard.Tests.Investigation.RecordFactory.CreateRecords"));
    }

    [Test]
    public async Task A_cancelled_investigation_ends_without_waiting_for_its_recording_to_resolve_stacks()
    {
        // Measured in CI (the leak zoo's serializer-per-call): the host stopped while an investigation's window was open,
        // the recording's stop waited for its reader to resolve the stacks (a rundown of the runtime's code, slow under load
        // with hundreds of generated assemblies), the host's shutdown timed out and the process did not exit. Here the reader
        // is held before it resolves, until the test ends: the cancelled investigation must end all the same.
        using var held = new ManualResetEventSlim(false);
        using var cancel = new CancellationTokenSource();
        using var investigator = new LeakInvestigator(new LeakGuardOptions { Snapshots = { Delay = TimeSpan.FromMinutes(5) } }, TimeProvider.System, new FakeLogger());
        investigator.StartRecording = async (kind, token) =>
        {
            var recording = await AllocationRecording.StartAsync(kind, token);
            recording.BeforeResolve = () => held.Wait();
            await cancel.CancelAsync(); // the host stops while the window is open
            return recording;
        };

        try
        {
            var run = investigator.InvestigateAsync(null, automatic: false, null, cancel.Token);
            // A deadline on a condition, not a timing threshold: before the fix the investigation never ended.
            Assert.That(async () => await run.WaitAsync(TimeSpan.FromSeconds(60)), Throws.InstanceOf<OperationCanceledException>());
            Assert.That(held.IsSet, Is.False, "the reader was released before the investigation ended");
        }
        finally
        {
            held.Set();
        }
    }

    [Test]
    public async Task A_recording_over_its_sample_rate_records_in_bursts_whose_bytes_stand_for_the_whole_window()
    {
        // 100 samples a second, bursts of 50 (production: 300 and 1 500). The loop allocates some 0.5 MB (about five
        // samples) every few milliseconds, hundreds of samples a second: the budget runs dry within a second, so the
        // session closes and, once the budget is full again, a new one opens (wait for the third, deadline 60 s).
        var budget = new SampleBudget(perSecond: 100, burst: 50);
        var recording = await AllocationRecording.StartAsync(
            AllocationSampling.For(Environment.Version), nameFrames: true, AllocationRecording.MaxSamples, trackSurvival: true, stackWalks: true, budget, CancellationToken.None);
        var allocatedBefore = GC.GetTotalAllocatedBytes(precise: true);
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        AllocationProfile profile;
        try
        {
            while (recording.SessionsOpened < 3 && DateTime.UtcNow < deadline)
            {
                RecordFactory.CreateRecords(10_000);
                RecordFactory.Clear();
                await Task.Delay(2);
            }
        }
        finally
        {
            profile = await recording.StopAsync(CancellationToken.None);
        }

        var allocated = GC.GetTotalAllocatedBytes(precise: true) - allocatedBefore;
        var estimated = profile.Stacks.Sum(s => s.EstimatedBytes);
        var records = profile.Stacks.Where(s => s.RawTypeName.EndsWith("AllocatedRecord", StringComparison.Ordinal)).OrderByDescending(s => s.Samples).ToList();
        TestContext.Out.WriteLine($"{profile.Samples} samples in {profile.Sessions} sessions, open {profile.Recorded.TotalSeconds:0.00} s of {profile.Duration.TotalSeconds:0.00} s; estimated {estimated / 1e6:0} MB of {allocated / 1e6:0} MB allocated");
        Assert.Multiple(() =>
        {
            Assert.That(profile.Sessions, Is.GreaterThanOrEqualTo(3), "the budget closed the session and new ones opened");
            Assert.That(profile.Recorded, Is.LessThan(profile.Duration * 0.75), "sessions closed for most of the window");
            // The samples stand for the time a session was open; scaled to the whole window they estimate what it allocated.
            // Timed to each stream's end (a batch of events, ~100 ms, after the stop), the bursts read 0.40–0.55 of it.
            Assert.That(estimated, Is.InRange(allocated * 0.6, allocated / 0.6));
            Assert.That(records, Is.Not.Empty);
            // The frames of every session are named by the one rundown at the end.
            Assert.That(records[0].Frames, Has.Some.Contains("LeakGuard.Tests.Investigation.RecordFactory.CreateRecords"), string.Join(" | ", records[0].Frames));
        });
    }

    [Test]
    public async Task A_recording_that_reaches_its_sample_cap_stops_its_session_by_itself()
    {
        var kind = AllocationSampling.For(Environment.Version);
        var recording = await AllocationRecording.StartAsync(kind, nameFrames: false, maxSamples: 20, trackSurvival: true, CancellationToken.None);
        try
        {
            // About one sample per 100 KB allocated: allocate until the session has ended on its own (deadline 60 s).
            var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
            while (!recording.Finished.IsCompleted && DateTime.UtcNow < deadline)
            {
                RecordFactory.CreateRecords(10_000);
                RecordFactory.Clear();
                await Task.WhenAny(recording.Finished, Task.Delay(10));
            }

            Assert.That(recording.Finished.IsCompleted, Is.True, "the session was still running after the cap");
        }
        finally
        {
            var profile = await recording.StopAsync(CancellationToken.None);
            Assert.Multiple(() =>
            {
                Assert.That(profile.StoppedEarly, Is.True);
                Assert.That(profile.Samples, Is.EqualTo(20), "samples past the cap are not counted");
            });
        }
    }

    [Test]
    public async Task Recording_switched_off_leaves_the_section_saying_why()
    {
        using var investigator = new LeakInvestigator(
            new LeakGuardOptions { Snapshots = { Delay = TimeSpan.Zero, RecordAllocations = false } }, TimeProvider.System, new FakeLogger());

        var report = await investigator.InvestigateAsync(null, automatic: false, null, CancellationToken.None);

        Assert.That(report!.Allocations!.Missing, Does.Contain("Snapshots:RecordAllocations = false"));
        Assert.That(report.GrowingTypes.Select(t => t.AllocationSites), Is.All.Null);
    }

    [Test]
    public async Task A_recording_that_fails_to_start_leaves_the_heap_report_whole_and_no_stacks()
    {
        using var investigator = new LeakInvestigator(new LeakGuardOptions { Snapshots = { Delay = TimeSpan.Zero } }, TimeProvider.System, new FakeLogger())
        {
            StartRecording = (_, _) => throw new AllocationRecordingException("the session refused"),
        };
        var real = investigator.TakeSnapshot;
        var calls = 0;
        investigator.TakeSnapshot = (buffer, token) =>
        {
            if (calls++ == 1)
            {
                RecordFactory.CreateRecords(Growth / 10);
            }

            return real(buffer, token);
        };

        var report = await investigator.InvestigateAsync(null, automatic: false, null, CancellationToken.None);

        Assert.That(report!.GrowingTypes.Select(t => t.Type), Does.Contain("LeakGuard.Tests.Investigation.AllocatedRecord"));
        Assert.That(report.Allocations!.Missing, Does.Contain("the session refused"));
        Assert.That(report.GrowingTypes.Select(t => t.AllocationSites), Is.All.Null);
    }
}
