using LeakGuard.Investigation;
using Microsoft.Extensions.Logging.Testing;
using Microsoft.Extensions.Time.Testing;
using NUnit.Framework;

namespace LeakGuard.Tests.Investigation;

[FixtureLifeCycle(LifeCycle.InstancePerTestCase)]
public class NativeInvestigationTests
{
    private const int MiB = 1024 * 1024;
    private readonly FakeLogger _logger = new();
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 12, 3, 6, 0, 0, TimeSpan.Zero));

    private IEnumerable<int> LoggedIds => _logger.Collector.GetSnapshot().Select(r => r.Id.Id);

    private static HeapGraph Heap()
    {
        var heap = new SyntheticHeap();
        heap.Root(heap.Object("MyApp.Settings"), RootKind.StaticField, "Settings");
        return heap.Build();
    }

    private LeakInvestigator Investigator(TimeSpan delay, bool recordAllocations = true)
    {
        var options = new LeakGuardOptions();
        options.Snapshots.Delay = delay;
        options.Snapshots.RecordAllocations = recordAllocations;
        return new LeakInvestigator(options, _time, _logger)
        {
            HeapBytes = () => 64L * MiB,
            TakeSnapshot = (buffer, _) => Task.FromResult(new HeapSnapshot(Heap(), _time.GetUtcNow(), TimeSpan.FromMilliseconds(5), TimeSpan.FromMilliseconds(1), buffer)),
        };
    }

    private LeakVerdict Verdict(string signal) =>
        new() { Signal = signal, State = LeakState.Leaking, GrowthRatePerSecond = MiB, EvaluatedAt = _time.GetUtcNow() };

    [Test]
    public async Task A_native_leak_in_the_window_is_reported_as_malloc_in_use_growth()
    {
        Assume.That(GlibcMalloc.Missing, Is.Null, "mallinfo2 needs glibc 2.33 or later");
        using var investigator = Investigator(TimeSpan.FromMinutes(1));
        var investigation = investigator.InvestigateAsync(Verdict(LeakSignals.NativeMemory), automatic: false, null, CancellationToken.None);
        Assert.That(Eventually.Holds(() => LoggedIds.Contains(106), TimeSpan.FromSeconds(30), TimeSpan.FromMilliseconds(10)), Is.True, "the window never opened");

        using (NativeLeaks.Malloc(blocks: 128, blockBytes: 256 * 1024))
        {
            _time.Advance(TimeSpan.FromMinutes(1));
            var report = await investigation;

            var native = report!.Native!;
            TestContext.Out.WriteLine(LeakReportText.Tree(report));
            var json = LeakReportSerializer.Serialize(report);
            Assert.Multiple(() =>
            {
                Assert.That(native.Finding, Does.StartWith("malloc in use +"));
                Assert.That(native.Malloc!.InUseBytesAfter - native.Malloc.InUseBytesBefore, Is.GreaterThanOrEqualTo(24L * MiB), "32 MiB leaked in the window");
                Assert.That(native.SecondsApart, Is.EqualTo(60));
                Assert.That(report.Allocations!.Missing, Does.Contain("not recorded for a native_memory leak"));
                Assert.That(LeakReportText.Tree(report), Does.Contain("native: malloc in use +").And.Contain("malloc in use ").And.Contain("threads "));
                Assert.That(json, Does.Contain("\"native\": {").And.Contain("\"inUseBytesAfter\""));
                Assert.That(LeakReportSerializer.Deserialize(json).Native!.Malloc!.InUseBytesAfter, Is.EqualTo(native.Malloc.InUseBytesAfter));
                Assert.That(_logger.Collector.GetSnapshot().Single(r => r.Id.Id == 115).Message, Does.Contain("native_memory").And.Contain("malloc in use +"));
            });
        }
    }

    [Test]
    public async Task A_native_leak_report_on_a_system_without_proc_says_why_it_has_no_native_evidence()
    {
        using var investigator = Investigator(TimeSpan.Zero, recordAllocations: false);
        investigator.NativeReader = new NativeReader(linux: false, GlibcMalloc.MissingReason(linux: false, _ => false), () => null);

        var report = await investigator.InvestigateAsync(Verdict(LeakSignals.NativeMemory), automatic: false, null, CancellationToken.None);

        var native = report!.Native!;
        Assert.Multiple(() =>
        {
            Assert.That(native.Missing, Does.StartWith("native readings need Linux's /proc"));
            Assert.That(native.MallocMissing, Is.EqualTo("malloc statistics come from glibc, which only Linux has"));
            Assert.That(LeakReportText.Tree(report), Does.Contain("native: no native evidence: native readings need Linux's /proc"));
            Assert.That(LeakReportSerializer.Serialize(report), Does.Contain("\"mallocMissing\": \"malloc statistics come from glibc"));
        });
    }

    [Test]
    public async Task A_managed_leak_report_reads_no_native_evidence()
    {
        using var investigator = Investigator(TimeSpan.Zero, recordAllocations: false);
        var report = await investigator.InvestigateAsync(Verdict(LeakSignals.ManagedHeap), automatic: false, null, CancellationToken.None);

        Assert.That((report!.Native, LoggedIds.Contains(115)), Is.EqualTo(((NativeEvidence?)null, false)));
    }

    [Test]
    public async Task A_thread_leak_report_counts_the_new_threads()
    {
        Assume.That(OperatingSystem.IsLinux(), "/proc/self/task is Linux's");
        using var investigator = Investigator(TimeSpan.FromMinutes(1));
        var investigation = investigator.InvestigateAsync(Verdict(LeakSignals.Threads), automatic: false, null, CancellationToken.None);
        Assert.That(Eventually.Holds(() => LoggedIds.Contains(106), TimeSpan.FromSeconds(30), TimeSpan.FromMilliseconds(10)), Is.True, "the window never opened");

        using (NativeLeaks.BlockedThreads(8, "stuck-job"))
        {
            _time.Advance(TimeSpan.FromMinutes(1));
            var report = await investigation;

            var threadsSeen = report!.Native!.Threads!;
            Assert.Multiple(() =>
            {
                Assert.That(threadsSeen.StartedByName.Single(g => g.Name == "stuck-job").Count, Is.EqualTo(8));
                Assert.That(report.Native.Finding, Does.Contain("threads ").And.Contain("'stuck-job' (8)"));
                Assert.That(LeakReportText.Tree(report), Does.Contain("8 'stuck-job'"));
            });
        }
    }
}
