namespace LeakGuard.Investigation;

/// <summary>
/// Collects the heap-dump events (types, nodes, edges, roots) in the order the runtime streams them and
/// turns them into a <see cref="HeapGraph"/>. Pure: the snapshotter feeds it events, tests feed it synthetic heaps.
/// </summary>
/// <remarks>
/// The runtime sends each node with its edge count and the edges of all nodes, in node order, as a separate
/// stream; addresses are resolved to node indices only at the end, when every node is known. Memory at the
/// peak (during <see cref="Build"/>) is about 24 bytes per node plus 8 per edge, measured in docs/performance.md.
/// </remarks>
internal sealed class HeapGraphBuilder
{
    private readonly ChunkedList<long> _addresses = new();
    private readonly ChunkedList<int> _sizes = new();
    private readonly ChunkedList<int> _types = new();
    private readonly ChunkedList<int> _edgeCounts = new();
    private readonly ChunkedList<long> _edgeTargets = new();
    private readonly List<(long Address, RootKind Kind, string? Name)> _roots = [];
    private readonly Dictionary<ulong, int> _typeIndex = [];
    private readonly List<string?> _typeNames = [];
    private readonly List<ulong> _typeIds = [];
    private readonly List<(int Type, ulong[] Arguments)> _typeArguments = [];
    private ulong _lastTypeId = ulong.MaxValue;
    private int _lastType = -1;
    private long _expectedEdges;

    /// <summary>Gets the number of nodes received.</summary>
    public long NodeCount => _addresses.Count;

    /// <summary>Gets the largest number of bytes the builder's own arrays held at once during the last <see cref="Build"/> (for the memory budget).</summary>
    public long PeakBytes { get; private set; }

    /// <summary>Gets the number of edges received.</summary>
    public long EdgeCount => _edgeTargets.Count;

    /// <summary>Records a type's name.</summary>
    /// <param name="typeId">The runtime's type identifier (its method table address).</param>
    /// <param name="name">The name as the runtime reports it.</param>
    /// <param name="typeArguments">The identifiers of the generic arguments, used when the name does not list them.</param>
    public void AddType(ulong typeId, string name, ulong[]? typeArguments = null)
    {
        var index = TypeIndexOf(typeId);
        _typeNames[index] = name;
        if (typeArguments is { Length: > 0 })
        {
            _typeArguments.Add((index, typeArguments));
        }
    }

    /// <summary>Records a live object.</summary>
    /// <param name="address">Its address.</param>
    /// <param name="size">Its shallow size in bytes.</param>
    /// <param name="typeId">Its type's identifier.</param>
    /// <param name="edgeCount">How many references it holds (they follow in the edge stream).</param>
    public void AddNode(ulong address, ulong size, ulong typeId, long edgeCount)
    {
        if (typeId != _lastTypeId)
        {
            _lastType = TypeIndexOf(typeId);
            _lastTypeId = typeId;
        }

        _addresses.Add(unchecked((long)address));
        _sizes.Add((int)Math.Min(size, int.MaxValue));
        _types.Add(_lastType);
        _edgeCounts.Add((int)edgeCount);
        _expectedEdges += edgeCount;
    }

    /// <summary>Records the next reference in the edge stream.</summary>
    /// <param name="target">The referenced object's address.</param>
    public void AddEdge(ulong target) => _edgeTargets.Add(unchecked((long)target));

    /// <summary>Records a root.</summary>
    /// <param name="address">The referenced object's address.</param>
    /// <param name="kind">The kind of root.</param>
    /// <param name="name">The static field's name, or <see langword="null"/>.</param>
    public void AddRoot(ulong address, RootKind kind, string? name = null)
    {
        if (address != 0)
        {
            _roots.Add((unchecked((long)address), kind, name));
        }
    }

    /// <summary>Builds the graph and releases the collected events.</summary>
    /// <returns>The graph.</returns>
    /// <exception cref="HeapSnapshotException">The edge stream does not match the nodes' edge counts (events were lost).</exception>
    public HeapGraph Build()
    {
        if (_expectedEdges != _edgeTargets.Count)
        {
            var message = $"The snapshot is incomplete: the nodes announced {_expectedEdges} references but {_edgeTargets.Count} arrived.";
            Clear();
            throw new HeapSnapshotException(message) { EventsWereLost = true };
        }

        if (_expectedEdges > int.MaxValue - 1)
        {
            Clear();
            throw new HeapSnapshotException("The heap has too many references for one snapshot.");
        }

        var nodeCount = (int)_addresses.Count;
        var edgeChunkBytes = ((_edgeTargets.Count / ChunkedList<long>.ChunkSize) + 1) * ChunkedList<long>.ChunkSize * 8L;
        var nodeChunkBytes = ((nodeCount / ChunkedList<long>.ChunkSize) + 1) * ChunkedList<long>.ChunkSize * 20L;
        var nodeType = _types.DrainToArray();
        var nodeSize = _sizes.DrainToArray();
        var edgeStart = new int[nodeCount + 1];
        var running = 0;
        var node = 0;
        _edgeCounts.Drain((chunk, _) =>
        {
            foreach (var count in chunk.Span)
            {
                edgeStart[node++] = running;
                running += count;
            }
        });
        edgeStart[nodeCount] = running;

        var index = AddressIndex.Create(_addresses.DrainToArray());

        // The peak: node arrays, the address index and all edge addresses, plus the first converted chunk.
        PeakBytes = Math.Max(
            nodeChunkBytes + edgeChunkBytes,
            (nodeCount * 12L) + index.Bytes + edgeChunkBytes + (ChunkedList<int>.ChunkSize * 4L));
        var targets = new List<int[]>();
        _edgeTargets.Drain((chunk, _) =>
        {
            var converted = new int[ChunkedList<int>.ChunkSize];
            var span = chunk.Span;
            for (var i = 0; i < span.Length; i++)
            {
                converted[i] = index.Find(span[i]);
            }

            targets.Add(converted);
        });

        var roots = new List<GraphRoot>(_roots.Count);
        foreach (var (address, kind, name) in _roots)
        {
            var target = index.Find(address);
            if (target >= 0)
            {
                roots.Add(new GraphRoot(target, kind, name));
            }
        }

        // Statics first, then handles, stacks, finalizer queue: the breadth-first search gives the first root
        // that reaches a node its path, and a named static field explains a leak better than the handle to the
        // runtime's statics array that also reaches it.
        roots.Sort((a, b) => a.Kind.CompareTo(b.Kind));
        var graph = new HeapGraph(nodeType, nodeSize, edgeStart, [.. targets], ResolveTypeNames(), [.. _typeIds], [.. roots]);
        Clear();
        return graph;
    }

    private string[] ResolveTypeNames()
    {
        var names = new string[_typeNames.Count];
        for (var i = 0; i < names.Length; i++)
        {
            names[i] = _typeNames[i] ?? "Type#" + i.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }

        foreach (var (type, arguments) in _typeArguments)
        {
            // Some runtimes name a generic instantiation without its arguments ("List`1"): add them from the ids.
            if (names[type].Contains('`', StringComparison.Ordinal) && !names[type].Contains('[', StringComparison.Ordinal))
            {
                var rendered = new string[arguments.Length];
                for (var i = 0; i < arguments.Length; i++)
                {
                    rendered[i] = _typeIndex.TryGetValue(arguments[i], out var argument) ? names[argument] : "?";
                }

                names[type] = names[type] + "[" + string.Join(",", rendered) + "]";
            }
        }

        return names;
    }

    private int TypeIndexOf(ulong typeId)
    {
        if (!_typeIndex.TryGetValue(typeId, out var index))
        {
            index = _typeNames.Count;
            _typeNames.Add(null);
            _typeIds.Add(typeId);
            _typeIndex.Add(typeId, index);
        }

        return index;
    }

    /// <summary>Releases everything collected so far (a failed snapshot).</summary>
    public void Discard() => Clear();

    private void Clear()
    {
        _addresses.Clear();
        _sizes.Clear();
        _types.Clear();
        _edgeCounts.Clear();
        _edgeTargets.Clear();
        _roots.Clear();
        _typeIndex.Clear();
        _typeNames.Clear();
        _typeIds.Clear();
        _typeArguments.Clear();
        _lastTypeId = ulong.MaxValue;
        _expectedEdges = 0;
    }
}
