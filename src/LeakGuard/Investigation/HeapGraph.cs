namespace LeakGuard.Investigation;

/// <summary>
/// A heap snapshot as a compact graph: one slot per object in parallel arrays (type, size), edges in
/// compressed sparse rows (<see cref="EdgeStart"/> into chunked target indices), a type table and the roots.
/// No object per node: about 16 bytes per node plus 4 per edge once built.
/// </summary>
internal sealed class HeapGraph
{
    private readonly int[][] _edgeTargets;

    /// <summary>Initializes a new instance of the <see cref="HeapGraph"/> class.</summary>
    /// <param name="nodeType">Each node's index into <paramref name="typeNames"/>.</param>
    /// <param name="nodeSize">Each node's shallow size in bytes.</param>
    /// <param name="edgeStart">Where each node's edges start; <c>edgeStart[n + 1]</c> is where they end.</param>
    /// <param name="edgeTargets">The target node of every edge, in chunks of <see cref="ChunkedList{T}.ChunkSize"/> (-1 for targets outside the snapshot).</param>
    /// <param name="typeNames">The raw type names, as the runtime reported them.</param>
    /// <param name="typeIds">The runtime's type ids (method table addresses), indexed like <paramref name="typeNames"/>.</param>
    /// <param name="roots">The roots.</param>
    public HeapGraph(int[] nodeType, int[] nodeSize, int[] edgeStart, int[][] edgeTargets, string[] typeNames, ulong[] typeIds, GraphRoot[] roots)
    {
        TypeIds = typeIds;
        NodeType = nodeType;
        NodeSize = nodeSize;
        EdgeStart = edgeStart;
        _edgeTargets = edgeTargets;
        TypeNames = typeNames;
        Roots = roots;
    }

    /// <summary>Gets the number of nodes (live objects).</summary>
    public int NodeCount => NodeType.Length;

    /// <summary>Gets the number of edges.</summary>
    public int EdgeCount => EdgeStart[^1];

    /// <summary>Gets each node's index into <see cref="TypeNames"/>.</summary>
    public int[] NodeType { get; }

    /// <summary>Gets each node's shallow size in bytes.</summary>
    public int[] NodeSize { get; }

    /// <summary>Gets where each node's edges start (length <see cref="NodeCount"/> + 1).</summary>
    public int[] EdgeStart { get; }

    /// <summary>Gets the raw type names as the runtime reported them, indexed by type index.</summary>
    public string[] TypeNames { get; }

    /// <summary>Gets the runtime's type ids, indexed by type index.</summary>
    public ulong[] TypeIds { get; }

    /// <summary>Gets the roots.</summary>
    public GraphRoot[] Roots { get; }

    /// <summary>Gets the target node of edge <paramref name="edge"/>, or -1 when it points outside the snapshot.</summary>
    /// <param name="edge">The edge index.</param>
    /// <returns>The target node index.</returns>
    public int EdgeTarget(int edge) => _edgeTargets[edge >> ChunkedList<int>.ChunkShift][edge & (ChunkedList<int>.ChunkSize - 1)];

    /// <summary>Gets an estimate of the managed bytes the graph holds.</summary>
    public long ApproximateBytes => (NodeCount * 12L) + 4 + (_edgeTargets.Length * (long)ChunkedList<int>.ChunkSize * 4) + (Roots.Length * 24L);
}
