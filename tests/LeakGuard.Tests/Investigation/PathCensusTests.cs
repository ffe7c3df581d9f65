using LeakGuard.Investigation;
using NUnit.Framework;

namespace LeakGuard.Tests.Investigation;

public class PathCensusTests
{
    private const string Text = "System.String";

    [Test]
    public void A_young_leak_of_a_common_type_is_ranked_by_where_its_growth_is_held()
    {
        // The application holds 400 strings through a pinned array and 200 no root reaches (a weak table's); the leak adds
        // 20 to a static set between the snapshots. Over all instances the leak's path holds 3 %; of the growth, all of it.
        var before = Heap(leaked: 0);
        var after = Heap(leaked: 20);
        var beforeNames = SyntheticHeap.Names(before);
        var afterNames = SyntheticHeap.Names(after);

        var all = RetentionPathFinder.Find(after, afterNames, ["String"])["String"];
        var grown = PathCensus.Growth(PathCensus.Take(before, beforeNames, own: null)!, PathCensus.Take(after, afterNames, own: null)!, ["String"])["String"];

        Assert.That(all[0].Root, Is.Not.EqualTo("static field Seen"), "over all instances the leak's path is not the first");
        Assert.That(grown, Has.Count.EqualTo(1));
        Assert.That(grown[0].Root, Is.EqualTo("static field Seen"));
        Assert.That(grown[0].Path, Is.EqualTo(new[] { "HashSet<String>", "String" }), "the same compact chain the path finder writes");
        Assert.That(grown[0].Share, Is.EqualTo(1.0));
    }

    [Test]
    public void A_chain_no_root_reaches_is_listed_but_is_not_the_main_chain_while_a_material_one_has_a_root()
    {
        // Between the snapshots 30 strings appear that only a weak table keeps (no root reaches them) and 24 join the static
        // set: the set's chain is the main one (the pattern and the signature use it), the unknown one keeps its share.
        var before = Heap(leaked: 0);
        var after = Heap(leaked: 24, weaklyHeld: 230);
        var grown = PathCensus.Growth(PathCensus.Take(before, SyntheticHeap.Names(before), own: null)!, PathCensus.Take(after, SyntheticHeap.Names(after), own: null)!, ["String"])["String"];

        Assert.That(grown.Select(p => p.Root), Is.EqualTo(new[] { "static field Seen", RetentionPathFinder.UnknownRoot }));
        Assert.That(grown.Select(p => p.Share), Is.EqualTo(new[] { 24 / 54.0, 30 / 54.0 }).Within(1e-4));
    }

    [Test]
    public void An_unknown_root_stays_the_main_chain_when_no_material_chain_has_a_root()
    {
        var before = Heap(leaked: 0);
        var after = Heap(leaked: 0, weaklyHeld: 300);
        var grown = PathCensus.Growth(PathCensus.Take(before, SyntheticHeap.Names(before), own: null)!, PathCensus.Take(after, SyntheticHeap.Names(after), own: null)!, ["String"])["String"];

        Assert.That(grown.Single().Root, Is.EqualTo(RetentionPathFinder.UnknownRoot));
    }

    [Test]
    public void Shares_are_of_the_gain_and_paths_that_lost_instances_do_not_count()
    {
        var before = Two(cached: 10, queued: 50);
        var after = Two(cached: 40, queued: 20);
        var growth = PathCensus.Growth(PathCensus.Take(before, SyntheticHeap.Names(before), own: null)!, PathCensus.Take(after, SyntheticHeap.Names(after), own: null)!, ["MyApp.Session"]);

        var paths = growth["MyApp.Session"];
        Assert.That(paths.Select(p => p.Root), Is.EqualTo(new[] { "static field Cache" }), "the queue lost instances");
        Assert.That(paths[0].Share, Is.EqualTo(1.0));
    }

    [Test]
    public void A_type_whose_paths_gained_nothing_is_left_to_the_shares_of_all_instances()
    {
        var heap = Two(cached: 10, queued: 10);
        var census = PathCensus.Take(heap, SyntheticHeap.Names(heap), own: null)!;

        Assert.That(PathCensus.Growth(census, census, ["MyApp.Session"]), Is.Empty);
    }

    [Test]
    public void A_linked_list_is_one_chain_however_long_and_reads_as_the_path_finder_writes_it()
    {
        var heap = new SyntheticHeap();
        var next = heap.Object("MyApp.Node", heap.Object("MyApp.Payload"));
        for (var i = 0; i < 5000; i++)
        {
            next = heap.Object("MyApp.Node", next, heap.Object("MyApp.Payload"));
        }

        heap.Root(heap.Object("MyApp.Registry", next), RootKind.StaticField, "Head");
        var graph = heap.Build();
        var names = SyntheticHeap.Names(graph);
        var empty = new SyntheticHeap();
        empty.Root(empty.Object("MyApp.Registry"), RootKind.StaticField, "Head");
        var none = empty.Build();

        var census = PathCensus.Take(graph, names, own: null)!;
        var paths = PathCensus.Growth(PathCensus.Take(none, SyntheticHeap.Names(none), own: null)!, census, ["MyApp.Payload"])["MyApp.Payload"];

        Assert.That(census.Chains, Is.LessThan(10), "a run of one type is one repeated step, not one step per node");
        Assert.That(paths[0].Share, Is.GreaterThan(0.99), "all but the head node's payload");
        Assert.That(paths[0].Path, Is.EqualTo(new[] { "MyApp.Registry", "MyApp.Node (repeated)", "MyApp.Payload" }));
        Assert.That(RetentionPathFinder.Find(graph, names, ["MyApp.Payload"])["MyApp.Payload"][0].Path, Is.EqualTo(paths[0].Path));
    }

    [Test]
    public void Objects_only_LeakGuard_keeps_alive_are_not_counted()
    {
        var heap = new SyntheticHeap();
        var mine = Enumerable.Range(0, 30).Select(_ => heap.Object(Text)).ToArray();
        heap.Root(heap.Object("LeakGuard.Investigation.HeapSnapshotSummary", heap.Object("System.String[]", mine)), RootKind.StaticField, "Summary");
        var graph = heap.Build();
        var names = SyntheticHeap.Names(graph);
        var own = OwnObjects.Of(graph, names, new HashSet<string>());
        var empty = new SyntheticHeap();
        empty.Root(empty.Object("MyApp.Names"), RootKind.Stack);
        var none = empty.Build();

        var growth = PathCensus.Growth(PathCensus.Take(none, SyntheticHeap.Names(none), own: null)!, PathCensus.Take(graph, names, own)!, ["String"]);

        Assert.That(growth, Does.Not.ContainKey("String"));
    }

    private static HeapGraph Heap(int leaked, int weaklyHeld = 200)
    {
        var heap = new SyntheticHeap();
        var held = Enumerable.Range(0, 400).Select(_ => heap.Object(Text)).ToArray();
        _ = Enumerable.Range(0, weaklyHeld).Select(_ => heap.Object(Text)).ToArray();
        var seen = Enumerable.Range(0, leaked).Select(_ => heap.Object(Text)).ToArray();
        heap.Root(heap.Object("System.Object[]", held), RootKind.PinnedHandle);
        heap.Root(heap.Object("System.Collections.Generic.HashSet`1[System.String]", heap.Object("System.Collections.Generic.HashSet`1+Entry[System.String][]", seen)), RootKind.StaticField, "Seen");
        return heap.Build();
    }

    private static HeapGraph Two(int cached, int queued)
    {
        var heap = new SyntheticHeap();
        var inCache = Enumerable.Range(0, cached).Select(_ => heap.Object("MyApp.Session")).ToArray();
        var inQueue = Enumerable.Range(0, queued).Select(_ => heap.Object("MyApp.Session")).ToArray();
        heap.Root(heap.Object("System.Collections.Generic.List`1[MyApp.Session]", heap.Object("MyApp.Session[]", inCache)), RootKind.StaticField, "Cache");
        heap.Root(heap.Object("MyApp.Queue", heap.Object("MyApp.Session[]", inQueue)), RootKind.Stack);
        return heap.Build();
    }
}
