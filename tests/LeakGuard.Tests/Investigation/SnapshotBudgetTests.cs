using System.Globalization;
using System.Text.RegularExpressions;
using LeakGuard.Investigation;
using NUnit.Framework;

namespace LeakGuard.Tests.Investigation;

/// <summary>The snapshot estimates are the measured figures docs/performance.md records, and the docs quote them.</summary>
public class SnapshotBudgetTests
{
    // The largest peak resident set over the one before a snapshot, per live object, in 22 runs (docs/performance.md).
    private const double MeasuredPeakBytesPerObject = 59.5;

    private static string Performance => File.ReadAllText(Path.Combine(RepositoryRoot(), "docs", "performance.md"));

    [Test]
    public void The_pause_estimate_is_the_documented_figure_per_million_objects_and_scales_linearly()
    {
        var documented = Documented(@"\*\*(\d+) ms of pause per million live objects\*\*");

        Assert.Multiple(() =>
        {
            Assert.That(SnapshotBudget.PausePerMillionObjects.TotalMilliseconds, Is.EqualTo(documented), "docs/performance.md#heap-snapshots");
            Assert.That(SnapshotBudget.Pause(1_000_000), Is.EqualTo(TimeSpan.FromMilliseconds(documented)));
            Assert.That(SnapshotBudget.Pause(10_000_000), Is.EqualTo(TimeSpan.FromMilliseconds(documented * 10)));
            Assert.That(SnapshotBudget.Pause(500_000), Is.EqualTo(TimeSpan.FromMilliseconds(documented / 2)));
        });
    }

    [Test]
    public void The_headroom_estimate_is_the_documented_figure_and_covers_the_measured_peak()
    {
        var documented = Documented(@"\*\*(\d+) B of peak memory per live object\*\*");
        var tenMillion = SnapshotBudget.CollectorBytes(10_000_000);

        Assert.Multiple(() =>
        {
            Assert.That(documented, Is.EqualTo(SnapshotBudget.HeadroomBytesPerObject), "docs/performance.md#heap-snapshots");
            Assert.That(Performance, Does.Contain($"the highest is **{MeasuredPeakBytesPerObject.ToString(CultureInfo.InvariantCulture)} B** in 22 runs"));
            Assert.That(tenMillion, Is.GreaterThanOrEqualTo((long)(10_000_000 * MeasuredPeakBytesPerObject)), "at least the largest measured peak");
            Assert.That(tenMillion, Is.LessThanOrEqualTo(700_000_000L), "issue 17: at most 0.6 GB was needed at 10 M objects; the old guess asked 2.7 GB");
        });
    }

    [TestCase("README.md", "(≈ {0} ms per million)")]
    [TestCase("docs/configuration.md", "(≈ {0} ms per million)")]
    [TestCase("docs/investigation.md", "({0} ms per million live objects)")]
    [TestCase("docs/investigation.md", "estimated at {0} ms per million")]
    public void The_docs_quote_the_pause_estimate(string file, string phrase)
    {
        var text = File.ReadAllText(Path.Combine(RepositoryRoot(), file));

        Assert.That(text, Does.Contain(string.Format(CultureInfo.InvariantCulture, phrase, SnapshotBudget.PausePerMillionObjects.TotalMilliseconds)));
    }

    [TestCase("docs/investigation.md", "estimated snapshot memory ({0} B per live object)")]
    [TestCase("docs/investigation.md", "is estimated at {0} B per object")]
    public void The_docs_quote_the_headroom_estimate(string file, string phrase)
    {
        var text = File.ReadAllText(Path.Combine(RepositoryRoot(), file));

        Assert.That(text, Does.Contain(string.Format(CultureInfo.InvariantCulture, phrase, SnapshotBudget.HeadroomBytesPerObject)));
    }

    private static double Documented(string pattern)
    {
        var match = Regex.Match(Performance, pattern);
        Assert.That(match.Success, Is.True, $"docs/performance.md has no figure matching {pattern}");
        return double.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture);
    }

    private static string RepositoryRoot()
    {
        for (var directory = new DirectoryInfo(TestContext.CurrentContext.TestDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "LeakGuard.sln")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException("the repository root (LeakGuard.sln) was not found above the test directory");
    }
}
