using NUnit.Framework;
using LeakGuard.Investigation;

namespace LeakGuard.Tests.Investigation;

public class HeapGraphBuilderTests
{
    [TestCase(false)]
    [TestCase(true)]
    public void Builder_maps_edge_addresses_to_node_indices(bool outOfAddressOrder)
    {
        var heap = new SyntheticHeap();
        var leaf = heap.Object("MyApp.Leaf");
        var middle = heap.Object("MyApp.Middle", leaf);
        var top = heap.Object("MyApp.Top", middle, leaf);
        heap.Root(top, RootKind.Stack);

        var graph = heap.Build(outOfAddressOrder);

        Assert.That(graph.NodeCount, Is.EqualTo(3));
        Assert.That(graph.EdgeCount, Is.EqualTo(3));
        var topNode = Array.FindIndex(graph.NodeType, t => graph.TypeNames[t] == "MyApp.Top");
        var targets = Enumerable.Range(graph.EdgeStart[topNode], graph.EdgeStart[topNode + 1] - graph.EdgeStart[topNode])
            .Select(e => graph.TypeNames[graph.NodeType[graph.EdgeTarget(e)]]);
        Assert.That(targets, Is.EqualTo(new[] { "MyApp.Middle", "MyApp.Leaf" }));
        Assert.That(graph.Roots.Single().Node, Is.EqualTo(topNode));
    }

    [Test]
    public void Builder_marks_references_outside_the_snapshot()
    {
        var heap = new SyntheticHeap();
        heap.Object("MyApp.Holder", 0xDEAD0000UL);

        var graph = heap.Build();

        Assert.That(graph.EdgeTarget(0), Is.EqualTo(-1));
    }

    [Test]
    public void Builder_refuses_a_graph_whose_edges_were_lost()
    {
        var builder = new HeapGraphBuilder();
        builder.AddType(1, "MyApp.Node");
        builder.AddNode(0x1000, 24, 1, edgeCount: 2);
        builder.AddNode(0x1020, 24, 1, edgeCount: 0);
        builder.AddEdge(0x1020);

        var failure = Assert.Throws<HeapSnapshotException>(() => builder.Build());
        Assert.That(failure!.EventsWereLost, Is.True);
    }

    [Test]
    public void Builder_orders_static_roots_before_handles_and_stacks()
    {
        var heap = new SyntheticHeap();
        var a = heap.Object("MyApp.A");
        var b = heap.Object("MyApp.B");
        heap.Root(a, RootKind.Stack);
        heap.Root(b, RootKind.StrongHandle);
        heap.Root(a, RootKind.StaticField, "Cache");

        var graph = heap.Build();

        Assert.That(graph.Roots.Select(r => r.Kind), Is.EqualTo(new[] { RootKind.StaticField, RootKind.StrongHandle, RootKind.Stack }));
        Assert.That(graph.Roots[0].Describe(), Is.EqualTo("static field Cache"));
    }

    [Test]
    public void Builder_adds_generic_arguments_missing_from_a_name()
    {
        var builder = new HeapGraphBuilder();
        builder.AddType(1, "MyApp.Session");
        builder.AddType(2, "System.Collections.Generic.List`1", [1]);
        builder.AddNode(0x1000, 32, 2, 0);

        var graph = builder.Build();

        Assert.That(TypeNameFormatter.Format(graph.TypeNames[graph.NodeType[0]]), Is.EqualTo("List<MyApp.Session>"));
    }

    [Test]
    public void Builder_handles_more_nodes_than_one_chunk()
    {
        var builder = new HeapGraphBuilder();
        builder.AddType(1, "MyApp.Node");
        const int count = (ChunkedList<int>.ChunkSize * 2) + 17;
        for (var i = 0; i < count; i++)
        {
            builder.AddNode(0x10000 + ((ulong)i * 32), 24, 1, i + 1 < count ? 1 : 0);
        }

        for (var i = 1; i < count; i++)
        {
            builder.AddEdge(0x10000 + ((ulong)i * 32));
        }

        var graph = builder.Build();

        Assert.That(graph.NodeCount, Is.EqualTo(count));
        Assert.That(graph.EdgeTarget(count - 2), Is.EqualTo(count - 1));
    }

    [Test]
    public void Root_kinds_are_described_in_words()
    {
        using (Assert.EnterMultipleScope())
        {
            Assert.That(GraphRoot.Describe(RootKind.StaticField, "Sessions"), Is.EqualTo("static field Sessions"));
            Assert.That(GraphRoot.Describe(RootKind.StrongHandle, null), Is.EqualTo("strong GC handle"));
            Assert.That(GraphRoot.Describe(RootKind.PinnedHandle, null), Is.EqualTo("pinned GC handle"));
            Assert.That(GraphRoot.Describe(RootKind.Stack, null), Is.EqualTo("thread stack"));
            Assert.That(GraphRoot.Describe(RootKind.FinalizerQueue, null), Is.EqualTo("finalizer queue"));
            Assert.That(GraphRoot.Describe(RootKind.Other, null), Is.EqualTo("other root"));
        }
    }
}
