using LeakGuard.Investigation;
using NUnit.Framework;

namespace LeakGuard.Tests.Investigation;

public class LeakReportTextTests
{
    [Test]
    public void Tree_shows_types_roots_and_chains()
    {
        var text = LeakReportText.Tree(Reports.Sample());

        Assert.That(text, Does.Contain("└─ MyApp.Session  +120,000 objects, +4.58 MiB"));
        Assert.That(text, Does.Contain("98% held by static field Sessions"));
        Assert.That(text, Does.Contain("→ Dictionary<Guid, MyApp.Session>"));
        Assert.That(text, Does.Contain("limit reached in 1 h 30 min"));
    }

    [Test]
    public void Top_finding_names_the_type_and_its_root() =>
        Assert.That(LeakReportText.TopFinding(Reports.Sample()), Is.EqualTo("MyApp.Session +120,000 (4.58 MiB), held by static field Sessions"));

    [Test]
    public void Report_without_growth_says_so()
    {
        var report = new LeakReport { Signal = "manual", Snapshots = new SnapshotPair(), GrowingTypes = [] };

        Assert.That(LeakReportText.Tree(report), Does.Contain("no type grew"));
        Assert.That(LeakReportText.TopFinding(report), Is.Empty);
    }
}
