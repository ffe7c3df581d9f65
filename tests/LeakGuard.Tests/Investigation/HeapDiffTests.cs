using NUnit.Framework;
using LeakGuard.Investigation;

namespace LeakGuard.Tests.Investigation;

public class HeapDiffTests
{
    private static HeapSnapshotSummary Summary(params (string Type, long Count, long Bytes)[] types) =>
        new() { Types = [.. types.Select(t => new TypeStatistics { Type = t.Type, Count = t.Count, Bytes = t.Bytes })] };

    [Test]
    public void Diff_ranks_growing_types_by_count_and_bytes_growth()
    {
        var before = Summary(("MyApp.Session", 100, 4_000), ("Byte[]", 100, 100_000), ("String", 1_000, 40_000));
        var after = Summary(("MyApp.Session", 10_100, 404_000), ("Byte[]", 10_100, 10_100_000), ("String", 1_010, 40_400));

        var ranked = HeapDiff.Rank(before, after, top: 10);

        Assert.That(ranked.Select(r => r.Type), Is.EqualTo(new[] { "Byte[]", "MyApp.Session", "String" }));
        Assert.That(ranked[1], Is.EqualTo(new TypeGrowth("MyApp.Session", 10_000, 400_000, 10_100, 404_000)));
    }

    [Test]
    public void Diff_leaves_out_growth_that_is_not_material()
    {
        var before = Summary(("MyApp.Session", 0, 0), ("Guid", 10, 240), ("RuntimeType", 100, 4_000));
        var after = Summary(("MyApp.Session", 10_000, 400_000), ("Guid", 200, 4_800), ("RuntimeType", 109, 4_360));

        Assert.That(HeapDiff.Rank(before, after, top: 10, HeapDiff.MaterialShare).Select(r => r.Type), Is.EqualTo(new[] { "MyApp.Session" }));
        Assert.That(HeapDiff.Rank(before, after, top: 10, minShare: 0, minBytes: 500_000), Is.Empty, "under 1 % of what the signal grew");
        Assert.That(HeapDiff.Rank(before, after, top: 10), Has.Count.EqualTo(3));
    }

    [Test]
    public void The_small_holder_of_large_buffers_stays_listed_beside_them()
    {
        // The web sample's cache: 2,000 CachedReport entries (48 B each) holding 64 KiB byte[] payloads. The holder's bytes
        // are far under 1 % of the signal's growth, but it is half the count growth: the sample's report named only Byte[].
        var before = Summary(("Sample.CachedReport", 0, 0), ("Byte[]", 0, 0));
        var after = Summary(("Sample.CachedReport", 2_000, 96_000), ("Byte[]", 2_000, 131_072_000));

        var ranked = HeapDiff.Rank(before, after, top: 10, HeapDiff.MaterialShare, minBytes: 1_311_000);

        Assert.That(ranked.Select(r => r.Type), Is.EquivalentTo(new[] { "Byte[]", "Sample.CachedReport" }));
    }

    [Test]
    public void Diff_ignores_shrinking_and_new_own_types()
    {
        var before = Summary(("MyApp.Cache", 500, 20_000));
        var after = Summary(("MyApp.Cache", 100, 4_000), ("LeakGuard.Investigation.HeapGraph", 5, 500), ("MyApp.New", 3, 72));

        var ranked = HeapDiff.Rank(before, after, top: 10);

        Assert.That(ranked.Select(r => r.Type), Is.EqualTo(new[] { "MyApp.New" }));
    }

    [Test]
    public void Diff_returns_at_most_top_types()
    {
        var before = Summary();
        var after = Summary([.. Enumerable.Range(1, 20).Select(i => ("T" + i, (long)i, (long)i * 10))]);

        Assert.That(HeapDiff.Rank(before, after, top: 5), Has.Count.EqualTo(5));
    }

    [Test]
    public void Summary_counts_per_readable_type_and_leaves_out_own_objects()
    {
        var heap = new SyntheticHeap();
        heap.Object("MyApp.Session");
        heap.Object("MyApp.Session");
        heap.Object("LeakGuard.Investigation.HeapGraph");
        var graph = heap.Build();

        var summary = HeapSummarizer.Summarize(graph, SyntheticHeap.Names(graph), DateTimeOffset.UnixEpoch, TimeSpan.Zero);

        Assert.That(summary.Types.Select(t => (t.Type, t.Count, t.Bytes)), Is.EqualTo(new[] { ("MyApp.Session", 2L, 48L) }));
        Assert.That(summary.ObjectCount, Is.EqualTo(2));
    }
}
