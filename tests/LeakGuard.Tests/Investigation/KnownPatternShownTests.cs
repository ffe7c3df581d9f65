using LeakGuard.Cli.Commands;
using LeakGuard.Investigation;
using Microsoft.Extensions.Logging.Testing;
using Microsoft.Extensions.Time.Testing;
using NUnit.Framework;

namespace LeakGuard.Tests.Investigation;

/// <summary>
/// A managed type's known pattern and its fix, where a developer reads them: log 107 and the <c>leakguard report</c>
/// output (the text tree and log 11 are tested beside them, in LeakReportTextTests and LeakReportArrivalTests).
/// </summary>
public class KnownPatternShownTests
{
    private static HeapGraph Heap(int sessions)
    {
        var heap = new SyntheticHeap();
        var items = Enumerable.Range(0, sessions).Select(_ => heap.Object("MyApp.Session")).ToArray();
        var dictionary = heap.Object("System.Collections.Generic.Dictionary`2[System.Guid,MyApp.Session]", heap.Object("MyApp.Session[]", items));
        heap.Root(dictionary, RootKind.StaticField, "Sessions");
        return heap.Build();
    }

    [Test]
    public async Task Log_107_names_a_managed_types_known_pattern_and_its_fix()
    {
        var logger = new FakeLogger();
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 12, 4, 9, 0, 0, TimeSpan.Zero));
        var snapshots = new Queue<HeapGraph>([Heap(10), Heap(5_010)]);
        using var investigator = new LeakInvestigator(new LeakGuardOptions { Snapshots = { Delay = TimeSpan.Zero } }, time, logger)
        {
            HeapBytes = () => 64L * 1024 * 1024,
            TakeSnapshot = (buffer, _) => Task.FromResult(new HeapSnapshot(snapshots.Dequeue(), time.GetUtcNow(), TimeSpan.FromMilliseconds(5), TimeSpan.FromMilliseconds(1), buffer)),
        };

        var report = await investigator.InvestigateAsync(null, automatic: false, null, CancellationToken.None);

        var top = report!.GrowingTypes[0];
        Assert.That(top.Pattern?.Id, Is.EqualTo("static-collection-as-cache"), LeakReportText.Tree(report));
        var log = logger.Collector.GetSnapshot().Single(r => r.Id.Id == 107).Message;
        Assert.That(log, Does.Contain($"Known pattern static-collection-as-cache (MyApp.Session): {top.Pattern!.Title}. Fix: {top.Pattern.Fix}"));
        Assert.That(log, Does.Contain("Signature " + top.Signature));
    }

    [Test]
    public async Task The_report_command_prints_a_managed_types_known_pattern_its_fix_and_the_signature()
    {
        var output = new StringWriter();

        var exit = await ReportCommand.PrintAsync(new FileInfo(Reports.FixturePath), output, TextWriter.Null, CancellationToken.None);

        var text = output.ToString();
        Assert.That(exit, Is.Zero);
        Assert.That(text, Does.Contain("  known pattern static-collection-as-cache (MyApp.Session): Dictionary or list in a static field used as a cache"));
        Assert.That(text, Does.Contain("  fix: Bound it: use MemoryCache with SizeLimit and expiration, or remove entries when their owner ends (ConditionalWeakTable for per-object data)."));
        Assert.That(text, Does.Contain("  signature lg1-58C95DE404FC25DA"));
    }

    [Test]
    public async Task The_fixtures_pattern_and_signature_are_what_the_investigator_derives_from_its_chain()
    {
        var report = await LeakReportSerializer.ReadFileAsync(Reports.FixturePath);
        var type = report.GrowingTypes[0];

        var explained = new GrowingType { Type = type.Type, RetentionPaths = type.RetentionPaths }.Explained();

        Assert.That((type.Pattern?.Id, type.Pattern?.Fix, type.Signature), Is.EqualTo((explained.Pattern!.Id, explained.Pattern.Fix, explained.Signature)));
    }
}
