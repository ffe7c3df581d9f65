namespace LeakGuard.Investigation;

/// <summary>A heap graph with the readable name of each of its types.</summary>
/// <param name="Graph">The graph.</param>
/// <param name="TypeNames">The readable name of each type index.</param>
internal sealed record RenderedGraph(HeapGraph Graph, string[] TypeNames)
{
    /// <summary>Gets LeakGuard's own types and roots in the graph, or <see langword="null"/> when not marked.</summary>
    public OwnObjects? Own { get; init; }
}
