using NUnit.Framework;

namespace LeakGuard.IntegrationTests.Zoo;

/// <summary>The zoo's check that a report names nothing of LeakGuard's (issue 17), on reports built in memory.</summary>
public sealed class ZooReportTests
{
    [Test]
    public void An_application_frame_on_LeakGuards_thread_is_the_applications_and_the_fold_marker_is_no_name()
    {
        // Seen in a zoo run: the verdict printer, called by LeakGuard, allocated a string the report listed.
        var report = With(["LeakGuard.LeakZoo!LeakGuard.LeakZoo.Hosting.VerdictPrinter.ToPayload(class LeakGuard.LeakVerdict)", "LeakGuard.LeakZoo!LeakGuard.LeakZoo.Hosting.VerdictPrinter.OnNext(class LeakGuard.LeakVerdict)", "[LeakGuard]"]);
        Assert.That(report.OwnNames(), Is.Empty);
    }

    [Test]
    public void A_frame_of_LeakGuards_own_code_is_still_named()
    {
        var report = With(["LeakGuard!LeakGuard.Investigation.AllocationTally.Add(int32)", "LeakGuard.LeakZoo!LeakGuard.LeakZoo.Program.Main()"]);
        Assert.That(report.OwnNames(), Is.EqualTo(new[] { "LeakGuard!LeakGuard.Investigation.AllocationTally.Add" }));
    }

    private static ZooReport With(IReadOnlyList<string> frames) => new()
    {
        Path = "report.json",
        Signal = "managed_heap",
        GrowingTypes = [new ZooGrowingType { Type = "System.String", RetentionPaths = [], AllocationSites = [frames] }],
    };
}
