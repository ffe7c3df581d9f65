namespace LeakGuard.Investigation;

/// <summary>
/// Heap snapshots of this process for retention checks (LeakGuard.Testing's assertions, the retention watch):
/// full compacting collections and pending finalizers first, so only objects something still references are
/// counted; the session buffer sized from the heap (retried larger when events were lost); per-type counts by
/// the runtime's type id, so a first snapshot can be kept as three primitive arrays (rendering names would add
/// thousands of strings to the second snapshot); retention paths with static roots named by their declaring type.
/// </summary>
internal sealed class RetainedTypeProbe
{
    private readonly HeapSnapshotter _snapshotter;
    private readonly NestedTypeResolver _resolver = new();
    private readonly StaticFieldResolver _fields = new();
    private long _lastObjectCount;
    private long _lastHeapBytes;

    /// <summary>Initializes a new instance of the <see cref="RetainedTypeProbe"/> class.</summary>
    /// <param name="timeout">How long to wait for one heap-dump GC.</param>
    public RetainedTypeProbe(TimeSpan timeout) => _snapshotter = new HeapSnapshotter(TimeProvider.System, timeout);

    /// <summary>Runs full blocking compacting collections around the pending finalizers, so objects kept only by the finalizer queue are gone too.</summary>
    public static void CollectFully()
    {
        GC.Collect(2, GCCollectionMode.Forced, blocking: true, compacting: true);
        GC.WaitForPendingFinalizers();
        GC.Collect(2, GCCollectionMode.Forced, blocking: true, compacting: true);
    }

    /// <summary>Counts the live instances and shallow bytes of every type, per runtime type id (index <c>i</c> of the three arrays belongs together).</summary>
    /// <param name="graph">The graph.</param>
    /// <returns>The type ids, counts and bytes.</returns>
    public static (ulong[] TypeIds, long[] Counts, long[] Bytes) CountByTypeId(HeapGraph graph)
    {
        var counts = new long[graph.TypeNames.Length];
        var bytes = new long[graph.TypeNames.Length];
        var nodeType = graph.NodeType;
        var nodeSize = graph.NodeSize;
        for (var n = 0; n < nodeType.Length; n++)
        {
            counts[nodeType[n]]++;
            bytes[nodeType[n]] += nodeSize[n];
        }

        return ((ulong[])graph.TypeIds.Clone(), counts, bytes);
    }

    /// <summary>Gets the runtime type id of a loaded type, as heap snapshots report it (its method table).</summary>
    /// <param name="type">The type.</param>
    /// <returns>The type id.</returns>
    public static ulong TypeIdOf(Type type)
    {
        ArgumentNullException.ThrowIfNull(type);
        return unchecked((ulong)type.TypeHandle.Value.ToInt64());
    }

    /// <summary>Collects fully, then takes one snapshot.</summary>
    /// <param name="cancellationToken">Cancels the snapshot.</param>
    /// <returns>The snapshot's graph.</returns>
    /// <exception cref="HeapSnapshotException">The snapshot failed, also with a larger buffer.</exception>
    /// <exception cref="Microsoft.Diagnostics.NETCore.Client.ServerNotAvailableException">The diagnostics IPC channel is disabled.</exception>
    public async Task<HeapGraph> TakeAsync(CancellationToken cancellationToken)
    {
        CollectFully();
        var heap = GC.GetTotalMemory(forceFullCollection: false);
        var buffer = SnapshotBudget.BufferMegabytes(SnapshotBudget.EstimateObjects(heap, _lastObjectCount, _lastHeapBytes, SnapshotBudget.BufferAssumedBytesPerObject));
        HeapSnapshot snapshot;
        try
        {
            snapshot = await _snapshotter.TakeAsync(buffer, cancellationToken).ConfigureAwait(false);
        }
        catch (HeapSnapshotException ex) when (ex.EventsWereLost)
        {
            snapshot = await _snapshotter.TakeAsync(Math.Min(16 * 1024, buffer * 3), cancellationToken).ConfigureAwait(false);
        }

        _lastObjectCount = snapshot.Graph.NodeCount;
        _lastHeapBytes = heap;
        return snapshot.Graph;
    }

    /// <summary>Renders the readable name of every type of a graph (nested and compiler-generated types completed).</summary>
    /// <param name="graph">The graph.</param>
    /// <returns>The graph with its names.</returns>
    public RenderedGraph Render(HeapGraph graph) => new(graph, HeapSummarizer.RenderTypeNames(graph, _resolver));

    /// <summary>Names the declaring types of static-field roots (cached).</summary>
    /// <param name="paths">The paths.</param>
    /// <returns>The paths with qualified static roots.</returns>
    public IReadOnlyList<RetentionPath> Qualify(IReadOnlyList<RetentionPath> paths) => _fields.Qualify(paths);

    /// <summary>Finds the retention paths of the instances of the given types, static roots qualified with their declaring type.</summary>
    /// <param name="graph">The rendered graph.</param>
    /// <param name="types">The readable names of the types.</param>
    /// <param name="maxPaths">How many chains per type.</param>
    /// <returns>The paths per type name, most common first.</returns>
    public Dictionary<string, IReadOnlyList<RetentionPath>> FindPaths(RenderedGraph graph, IReadOnlyCollection<string> types, int maxPaths = 3)
    {
        ArgumentNullException.ThrowIfNull(graph);
        var paths = RetentionPathFinder.Find(graph.Graph, graph.TypeNames, types, maxPaths: maxPaths);
        foreach (var type in paths.Keys.ToArray())
        {
            paths[type] = _fields.Qualify(paths[type]);
        }

        return paths;
    }
}
