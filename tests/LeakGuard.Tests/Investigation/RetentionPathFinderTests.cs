using NUnit.Framework;
using LeakGuard.Investigation;

namespace LeakGuard.Tests.Investigation;

public class RetentionPathFinderTests
{
    private const string Session = "MyApp.Session";

    [Test]
    public void Paths_start_at_the_named_static_field_rather_than_the_statics_array_handle()
    {
        var heap = new SyntheticHeap();
        var sessions = Enumerable.Range(0, 50).Select(_ => heap.Object(Session)).ToArray();
        var entries = heap.Object("System.Collections.Generic.Dictionary`2+Entry[System.Guid,MyApp.Session][]", sessions);
        var dictionary = heap.Object("System.Collections.Generic.Dictionary`2[System.Guid,MyApp.Session]", entries);
        var statics = heap.Object("System.Object[]", dictionary);
        heap.Root(statics, RootKind.PinnedHandle);
        heap.Root(dictionary, RootKind.StaticField, "Sessions");
        var graph = heap.Build();

        var paths = RetentionPathFinder.Find(graph, SyntheticHeap.Names(graph), [Session])[Session];

        Assert.That(paths, Has.Count.EqualTo(1));
        Assert.That(paths[0].Root, Is.EqualTo("static field Sessions"));
        Assert.That(paths[0].Share, Is.EqualTo(1.0));
        Assert.That(paths[0].Path, Is.EqualTo(new[] { "Dictionary<Guid, MyApp.Session>", Session }), "the entries array is the dictionary's plumbing");
    }

    [Test]
    public void A_static_holder_is_named_over_a_thread_stack_that_reaches_the_same_objects_sooner()
    {
        // The leak zoo's event-listener: the hub's handler list holds every request's closure; while a handler is added, the
        // combined list is a local on the request's thread, one hop closer to every closure than the static field. A
        // snapshot taken then named "thread stack" as the holder (the zoo's test failed on it).
        var heap = new SyntheticHeap();
        var requests = Enumerable.Range(0, 20).Select(_ => heap.Object("MyApp.CheckoutRequest")).ToArray();
        var closures = requests.Select(r => heap.Object("MyApp.Handlers+<>c__DisplayClass6_0", r)).ToArray();
        var handlers = heap.Object("System.EventHandler", closures);
        var hub = heap.Object("MyApp.OrderEventHub", handlers);
        heap.Root(handlers, RootKind.Stack);
        heap.Root(hub, RootKind.StaticField, "s_orderEvents");
        var graph = heap.Build();

        var paths = RetentionPathFinder.Find(graph, SyntheticHeap.Names(graph), ["MyApp.CheckoutRequest"])["MyApp.CheckoutRequest"];

        Assert.That(paths.Select(p => p.Root), Is.EqualTo(new[] { "static field s_orderEvents" }));
        Assert.That(paths[0].Path[0], Is.EqualTo("MyApp.OrderEventHub"));
    }

    [Test]
    public void A_thread_stack_is_named_when_it_alone_holds_the_objects()
    {
        var heap = new SyntheticHeap();
        var sessions = Enumerable.Range(0, 10).Select(_ => heap.Object(Session)).ToArray();
        heap.Root(heap.Object("System.Collections.Generic.List`1[MyApp.Session]", heap.Object("MyApp.Session[]", sessions)), RootKind.Stack);
        heap.Root(heap.Object("MyApp.Settings"), RootKind.StaticField, "s_settings");
        var graph = heap.Build();

        var paths = RetentionPathFinder.Find(graph, SyntheticHeap.Names(graph), [Session])[Session];

        Assert.That(paths.Select(p => p.Root), Is.EqualTo(new[] { "thread stack" }));
    }

    [Test]
    public void Objects_only_LeakGuard_keeps_alive_are_left_out_and_application_paths_avoid_its_objects()
    {
        var heap = new SyntheticHeap();
        var ownNames = Enumerable.Range(0, 40).Select(_ => heap.Object("System.String")).ToArray();
        var shared = Enumerable.Range(0, 10).Select(_ => heap.Object("System.String")).ToArray();
        var summary = heap.Object("LeakGuard.Investigation.HeapSnapshotSummary", heap.Object("System.String[]", [.. ownNames, .. shared]));
        var boxedGuid = heap.Object("System.Guid");
        heap.Root(heap.Object("MyApp.Names", heap.Object("System.String[]", shared)), RootKind.Stack);
        heap.Root(summary, RootKind.StaticField, "Summary");
        heap.Root(boxedGuid, RootKind.StaticField, "ProviderGuid");
        var graph = heap.Build();
        var names = SyntheticHeap.Names(graph);
        var own = OwnObjects.Of(graph, names, new HashSet<string> { OwnStaticFields.Key("ProviderGuid", "Guid") });

        _ = RetentionPathFinder.Search(graph, own, out var ownOnly);
        var counted = HeapSummarizer.Summarize(graph, names, DateTimeOffset.UnixEpoch, TimeSpan.Zero, ownOnly);
        var paths = RetentionPathFinder.Find(graph, names, ["String"], own: own)["String"];

        Assert.That(counted.Types.Single(t => t.Type == "String").Count, Is.EqualTo(10), "only the strings the application holds");
        Assert.That(counted.Types.Select(t => t.Type), Does.Not.Contain("Guid"), "a boxed static of LeakGuard's libraries");
        Assert.That(paths.Single().Path, Is.EqualTo(new[] { "MyApp.Names", "String[]", "String" }));
        Assert.That(paths.Single().Share, Is.EqualTo(1.0));
    }

    [Test]
    public void Objects_of_LeakGuards_static_fields_stay_its_own_when_the_runtimes_statics_array_also_holds_them()
    {
        // The runtime keeps every static also in an Object[] under a GC handle: TraceEvent's boxed ProviderGuid statics
        // showed up as "Guid +263 held by strong GC handle → Object[] → Guid" in the zoo's reports.
        var heap = new SyntheticHeap();
        var providerGuids = Enumerable.Range(0, 30).Select(_ => heap.Object("System.Guid")).ToArray();
        var applicationGuid = heap.Object("System.Guid");
        heap.Root(heap.Object("System.Object[]", [.. providerGuids, applicationGuid]), RootKind.StrongHandle);
        foreach (var guid in providerGuids)
        {
            heap.Root(guid, RootKind.StaticField, "ProviderGuid");
        }

        heap.Root(applicationGuid, RootKind.StaticField, "TenantId");
        var graph = heap.Build();
        var names = SyntheticHeap.Names(graph);
        var own = OwnObjects.Of(graph, names, new HashSet<string> { OwnStaticFields.Key("ProviderGuid", "Guid") });

        _ = RetentionPathFinder.Search(graph, own, out var ownOnly);
        var counted = HeapSummarizer.Summarize(graph, names, DateTimeOffset.UnixEpoch, TimeSpan.Zero, ownOnly);
        var paths = RetentionPathFinder.Find(graph, names, ["Guid"], own: own)["Guid"];

        Assert.That(counted.Types.Single(t => t.Type == "Guid").Count, Is.EqualTo(1), "only the application's static");
        Assert.That(paths.Single().Root, Is.EqualTo("static field TenantId"));
    }

    [Test]
    public void A_concurrent_dictionarys_internals_fold_into_it_but_the_growing_type_stays()
    {
        const string Arguments = "<String, MyApp.Session>";
        var chain = new List<string> { "ConcurrentDictionary" + Arguments, "Tables" + Arguments, "VolatileNode" + Arguments + "[]", "Node" + Arguments, "Node" + Arguments, "MyApp.Session" };

        Assert.That(RetentionPathFinder.Compact(chain), Is.EqualTo(new[] { "ConcurrentDictionary" + Arguments, "MyApp.Session" }));
        Assert.That(RetentionPathFinder.Compact(["ConcurrentDictionary" + Arguments, "Tables" + Arguments, "Node" + Arguments]), Is.EqualTo(new[] { "ConcurrentDictionary" + Arguments, "Node" + Arguments }));
        Assert.That(RetentionPathFinder.Compact(["MyApp.Cache<String>", "ConcurrentDictionary" + Arguments, "MyApp.Session"]), Has.Count.EqualTo(3), "other arguments: not plumbing");
    }

    [Test]
    public void A_multicast_delegates_invocation_list_folds_into_the_delegate()
    {
        const string Handler = "EventHandler<MyApp.OrderPlaced>";

        Assert.That(
            RetentionPathFinder.Compact(["MyApp.OrderHub", Handler, "Object[]", Handler, "closure in MyApp.Checkout.Run (<>c__DisplayClass6_0)", Session]),
            Is.EqualTo(new[] { "MyApp.OrderHub", Handler, "closure in MyApp.Checkout.Run (<>c__DisplayClass6_0)", Session }));
        Assert.That(RetentionPathFinder.Compact(["MyApp.OrderHub", Handler, "Object[]", Handler]), Is.EqualTo(new[] { "MyApp.OrderHub", Handler }), "a growing delegate is still the last step");
        Assert.That(RetentionPathFinder.Compact(["MyApp.Registry", "Object[]", Session]), Has.Count.EqualTo(3), "an object array between different types is the application's");
    }

    [Test]
    public void The_timer_queue_folds_away_and_a_timers_path_reads_from_the_timer_under_the_queues_static_field()
    {
        var heap = new SyntheticHeap();
        var owners = Enumerable.Range(0, 20).Select(_ => heap.Object("MyApp.Poller")).ToArray();
        var timers = owners.Select(o => heap.Object("System.Threading.TimerQueueTimer", heap.Object("System.Threading.TimerCallback", o))).ToArray();
        var queue = heap.Object("System.Threading.TimerQueue", timers);
        // The runtime's own field (an auto-property's backing field), qualified from the loaded TimerQueue type.
        heap.Root(heap.Object("System.Threading.TimerQueue[]", queue), RootKind.StaticField, "<Instances>k__BackingField");
        var graph = heap.Build();

        var path = RetentionPathFinder.Find(graph, SyntheticHeap.Names(graph), ["MyApp.Poller"])["MyApp.Poller"].Single();

        Assert.That(path.Path, Is.EqualTo(new[] { "TimerQueueTimer", "TimerCallback", "MyApp.Poller" }));
        Assert.That(path.Root, Is.EqualTo("static field TimerQueue.Instances"));
        Assert.That(KnownPatterns.Match("MyApp.Poller", [path])?.Id, Is.EqualTo("timer-not-disposed"));
    }

    [Test]
    public void Paths_are_grouped_by_chain_with_their_share()
    {
        var heap = new SyntheticHeap();
        var cached = Enumerable.Range(0, 30).Select(_ => heap.Object(Session)).ToArray();
        var onStack = Enumerable.Range(0, 10).Select(_ => heap.Object(Session)).ToArray();
        var cacheArray = heap.Object("MyApp.Session[]", cached);
        var cache = heap.Object("System.Collections.Generic.List`1[MyApp.Session]", cacheArray);
        var local = heap.Object("MyApp.Session[]", onStack);
        heap.Root(cache, RootKind.StaticField, "Cache");
        heap.Root(local, RootKind.Stack);
        var graph = heap.Build();

        var paths = RetentionPathFinder.Find(graph, SyntheticHeap.Names(graph), [Session])[Session];

        Assert.That(paths.Select(p => (p.Root, p.Share)), Is.EqualTo(new[] { ("static field Cache", 0.75), ("thread stack", 0.25) }));
        Assert.That(paths[0].Path, Is.EqualTo(new[] { "List<MyApp.Session>", Session }));
    }

    [Test]
    public void Shortest_path_wins_when_two_chains_reach_an_instance()
    {
        var heap = new SyntheticHeap();
        var target = heap.Object(Session);
        var longWay = heap.Object("MyApp.C", heap.Object("MyApp.B", heap.Object("MyApp.A", target)));
        var shortWay = heap.Object("MyApp.Direct", target);
        heap.Root(longWay, RootKind.StrongHandle);
        heap.Root(shortWay, RootKind.StrongHandle);
        var graph = heap.Build();

        var path = RetentionPathFinder.Find(graph, SyntheticHeap.Names(graph), [Session])[Session].Single();

        Assert.That(path.Path, Is.EqualTo(new[] { "MyApp.Direct", Session }));
    }

    [Test]
    public void Linked_chains_of_one_type_collapse_into_one_step()
    {
        var heap = new SyntheticHeap();
        var node = heap.Object(Session);
        for (var i = 0; i < 20; i++)
        {
            node = heap.Object("MyApp.LinkedNode", node);
        }

        heap.Root(node, RootKind.StaticField, "Head");
        var graph = heap.Build();

        var path = RetentionPathFinder.Find(graph, SyntheticHeap.Names(graph), [Session])[Session].Single();

        Assert.That(path.Path, Is.EqualTo(new[] { "MyApp.LinkedNode (repeated)", Session }));
    }

    [Test]
    public void Very_long_chains_are_elided_in_the_middle()
    {
        var chain = Enumerable.Range(0, 30).Select(i => "T" + i).ToList();

        var compact = RetentionPathFinder.Compact(chain);

        Assert.That(compact, Has.Count.EqualTo(12));
        Assert.That(compact[5], Is.EqualTo("…"));
        Assert.That(compact[^1], Is.EqualTo("T29"));
        Assert.That(compact[0], Is.EqualTo("T0"));
    }

    [Test]
    public void Instances_no_root_reaches_are_reported_as_unknown_root()
    {
        var heap = new SyntheticHeap();
        heap.Object(Session);
        var graph = heap.Build();

        var path = RetentionPathFinder.Find(graph, SyntheticHeap.Names(graph), [Session])[Session].Single();

        Assert.That(path.Root, Does.StartWith("unknown root"));
    }

    [Test]
    public void Sampling_keeps_shares_over_many_instances()
    {
        var heap = new SyntheticHeap();
        var held = Enumerable.Range(0, 3000).Select(_ => heap.Object(Session)).ToArray();
        heap.Root(heap.Object("MyApp.Session[]", held), RootKind.StaticField, "All");
        var graph = heap.Build();

        var path = RetentionPathFinder.Find(graph, SyntheticHeap.Names(graph), [Session], maxSamples: 100)[Session].Single();

        Assert.That(path.Share, Is.EqualTo(1.0));
    }
}
