using LeakGuard.Investigation;

namespace LeakGuard.Testing;

/// <summary>
/// Groups <em>every</em> instance of chosen types by its shortest retention path. A leak of a common type (strings,
/// arrays) adds a few hundred instances to one path among a hundred thousand held elsewhere: sampling would miss it,
/// but the difference of exact per-path counts between two snapshots points straight at it.
/// </summary>
internal static class PathCounter
{
    /// <summary>Counts the instances of the given types per retention path.</summary>
    /// <param name="graph">The graph.</param>
    /// <param name="typeNames">The readable name of each type index.</param>
    /// <param name="types">The readable names of the types to count.</param>
    /// <returns>The groups per type name.</returns>
    public static Dictionary<string, List<PathGroup>> Count(HeapGraph graph, string[] typeNames, IReadOnlyCollection<string> types)
    {
        var wanted = new HashSet<string>(types, StringComparer.Ordinal);
        var parent = RetentionPathFinder.Search(graph);
        var groups = new Dictionary<string, Dictionary<string, PathGroup>>(StringComparer.Ordinal);
        var chain = new List<string>();
        StaticFieldResolver? fields = null;
        for (var n = 0; n < graph.NodeCount; n++)
        {
            var type = typeNames[graph.NodeType[n]];
            if (!wanted.Contains(type))
            {
                continue;
            }

            chain.Clear();
            var node = n;
            string root;
            while (true)
            {
                chain.Add(typeNames[graph.NodeType[node]]);
                var up = parent[node];
                if (up == -1)
                {
                    root = RetentionPathFinder.UnknownRoot;
                    break;
                }

                if (up < -1)
                {
                    root = graph.Roots[-up - 2].Describe();
                    break;
                }

                node = up;
            }

            chain.Reverse();
            var compact = RetentionPathFinder.Compact(chain, ref root, ref fields);
            var key = root + "\u0001" + string.Join('\u0001', compact);
            if (!groups.TryGetValue(type, out var byPath))
            {
                groups[type] = byPath = new Dictionary<string, PathGroup>(StringComparer.Ordinal);
            }

            byPath[key] = byPath.TryGetValue(key, out var group)
                ? group with { Count = group.Count + 1, Bytes = group.Bytes + graph.NodeSize[n] }
                : new PathGroup(root, compact, 1, graph.NodeSize[n]);
        }

        return groups.ToDictionary(g => g.Key, g => g.Value.Values.ToList(), StringComparer.Ordinal);
    }

    /// <summary>Keeps the groups' keys, counts and bytes in unmanaged memory for the next snapshot.</summary>
    /// <param name="groups">The groups.</param>
    /// <returns>The table.</returns>
    public static NativeTypeCounts Keep(Dictionary<string, List<PathGroup>> groups)
    {
        var all = groups.Values.SelectMany(g => g).ToArray();
        return NativeTypeCounts.From([.. all.Select(g => g.Key)], [.. all.Select(g => g.Count)], [.. all.Select(g => g.Bytes)]);
    }

    /// <summary>Subtracts an earlier snapshot's groups: what each path gained.</summary>
    /// <param name="groups">The later groups of one type.</param>
    /// <param name="before">The earlier groups (all types).</param>
    /// <returns>The groups with the gained instances and bytes, gained most first (by bytes when <paramref name="byBytes"/>).</returns>
    /// <param name="byBytes">Whether to rank by bytes gained.</param>
    public static List<PathGroup> Gained(IEnumerable<PathGroup> groups, NativeTypeCounts before, bool byBytes)
    {
        var index = new Dictionary<ulong, int>(before.Length);
        for (var i = 0; i < before.Length; i++)
        {
            index.TryAdd(before.IdAt(i), i);
        }

        return groups
            .Select(g => index.TryGetValue(g.Key, out var i) ? g with { Count = g.Count - before.CountAt(i), Bytes = g.Bytes - before.BytesAt(i) } : g)
            .Where(g => byBytes ? g.Bytes > 0 : g.Count > 0)
            .OrderByDescending(g => byBytes ? g.Bytes : g.Count)
            .ThenBy(g => g.Root, StringComparer.Ordinal)
            .ToList();
    }
}
