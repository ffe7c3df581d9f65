namespace LeakGuard.Investigation;

/// <summary>Reduces a heap graph to per-type counts and sizes under readable names, LeakGuard's own objects left out.</summary>
internal static class HeapSummarizer
{
    /// <summary>Renders every type's name, completing nested types' names through <paramref name="resolver"/> when given.</summary>
    /// <param name="graph">The graph.</param>
    /// <param name="resolver">Completes nested type names from the loaded types, or <see langword="null"/> for synthetic graphs.</param>
    /// <returns>The readable name of each type index.</returns>
    public static string[] RenderTypeNames(HeapGraph graph, NestedTypeResolver? resolver)
    {
        var resolved = resolver?.Resolve(graph.TypeIds, graph.TypeNames);
        var names = new string[graph.TypeNames.Length];
        for (var i = 0; i < names.Length; i++)
        {
            names[i] = resolved?[i] ?? TypeNameFormatter.Format(graph.TypeNames[i]);
        }

        return names;
    }

    /// <summary>Counts and sizes the live objects per readable type name.</summary>
    /// <param name="graph">The graph.</param>
    /// <param name="typeNames">The readable name of each type index (see <see cref="RenderTypeNames"/>).</param>
    /// <param name="takenAt">When the snapshot was taken.</param>
    /// <param name="duration">How long it took.</param>
    /// <param name="excluded">Per node: leave it out (kept alive only by LeakGuard, see <see cref="RetentionPathFinder.Search(HeapGraph, OwnObjects?, out bool[])"/>), or <see langword="null"/>.</param>
    /// <param name="pause">How long the snapshot paused the application, or zero when unknown.</param>
    /// <returns>The summary, types largest first.</returns>
    public static HeapSnapshotSummary Summarize(HeapGraph graph, string[] typeNames, DateTimeOffset takenAt, TimeSpan duration, bool[]? excluded = null, TimeSpan pause = default)
    {
        var counts = new long[typeNames.Length];
        var bytes = new long[typeNames.Length];
        var nodeType = graph.NodeType;
        var nodeSize = graph.NodeSize;
        for (var n = 0; n < nodeType.Length; n++)
        {
            if (excluded is not null && excluded[n])
            {
                continue;
            }

            counts[nodeType[n]]++;
            bytes[nodeType[n]] += nodeSize[n];
        }

        var byName = new Dictionary<string, (long Count, long Bytes)>(StringComparer.Ordinal);
        long objectCount = 0, totalBytes = 0;
        for (var t = 0; t < typeNames.Length; t++)
        {
            if (counts[t] == 0 || OwnTypeFilter.IsOwn(graph.TypeNames[t]) || OwnTypeFilter.IsOwn(typeNames[t]))
            {
                continue;
            }

            byName.TryGetValue(typeNames[t], out var sum);
            byName[typeNames[t]] = (sum.Count + counts[t], sum.Bytes + bytes[t]);
            objectCount += counts[t];
            totalBytes += bytes[t];
        }

        var types = byName
            .Select(pair => new TypeStatistics { Type = pair.Key, Count = pair.Value.Count, Bytes = pair.Value.Bytes })
            .OrderByDescending(type => type.Bytes)
            .ThenBy(type => type.Type, StringComparer.Ordinal)
            .ToArray();
        return new HeapSnapshotSummary
        {
            TakenAt = takenAt,
            Duration = duration,
            Pause = pause,
            ObjectCount = objectCount,
            TotalBytes = totalBytes,
            Types = types,
        };
    }
}
