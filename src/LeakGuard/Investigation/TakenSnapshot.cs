namespace LeakGuard.Investigation;

/// <summary>What one heap snapshot of an investigation leaves once its events are read.</summary>
/// <param name="Summary">The per-type summary.</param>
/// <param name="Graph">The graph, when the caller still needs it (retention paths), else <see langword="null"/>.</param>
/// <param name="Census">The objects counted by retention chain, when asked for and within its bound, else <see langword="null"/>.</param>
internal readonly record struct TakenSnapshot(HeapSnapshotSummary Summary, RenderedGraph? Graph, PathCensus? Census)
{
    /// <summary>Deconstructs the summary and the graph (callers that ask for no census).</summary>
    /// <param name="summary">The per-type summary.</param>
    /// <param name="graph">The graph, or <see langword="null"/>.</param>
    public void Deconstruct(out HeapSnapshotSummary summary, out RenderedGraph? graph) => (summary, graph) = (Summary, Graph);
}
