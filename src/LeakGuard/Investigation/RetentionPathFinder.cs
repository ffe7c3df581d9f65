namespace LeakGuard.Investigation;

/// <summary>
/// Finds who holds the instances of growing types: one breadth-first search from all roots gives every reachable
/// node its shortest path (statics searched first, see <see cref="HeapGraphBuilder.Build"/>); sampled instances'
/// paths are turned into chains of type names and grouped, each chain with the share of instances it holds.
/// </summary>
internal static class RetentionPathFinder
{
    private const int Unvisited = -1;
    private const int MaxChainLength = 12;

    /// <summary>Finds the retention paths of the instances of <paramref name="targetTypes"/>.</summary>
    /// <param name="graph">The graph of the second snapshot.</param>
    /// <param name="typeNames">The readable name of each type index.</param>
    /// <param name="targetTypes">The readable names of the types to explain.</param>
    /// <param name="maxSamples">How many instances per type to follow (evenly spaced over the heap).</param>
    /// <param name="maxPaths">How many chains per type to return.</param>
    /// <returns>For each target type, its chains, most common first.</returns>
    public static Dictionary<string, IReadOnlyList<RetentionPath>> Find(
        HeapGraph graph, string[] typeNames, IReadOnlyCollection<string> targetTypes, int maxSamples = 1000, int maxPaths = 5)
    {
        var parent = Search(graph);
        var targets = new HashSet<string>(targetTypes, StringComparer.Ordinal);
        var instances = new Dictionary<string, List<int>>(StringComparer.Ordinal);
        var totals = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var name in targets)
        {
            instances[name] = [];
            totals[name] = 0;
        }

        var nodeType = graph.NodeType;
        for (var n = 0; n < nodeType.Length; n++)
        {
            var name = typeNames[nodeType[n]];
            if (targets.Contains(name))
            {
                totals[name]++;
            }
        }

        var seen = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var n = 0; n < nodeType.Length; n++)
        {
            var name = typeNames[nodeType[n]];
            if (!targets.Contains(name))
            {
                continue;
            }

            // Evenly spaced samples: old and new instances both count, as a leak usually keeps adding to one place.
            var index = seen.GetValueOrDefault(name);
            seen[name] = index + 1;
            var stride = Math.Max(1, totals[name] / maxSamples);
            if (index % stride == 0 && instances[name].Count < maxSamples)
            {
                instances[name].Add(n);
            }
        }

        var result = new Dictionary<string, IReadOnlyList<RetentionPath>>(StringComparer.Ordinal);
        foreach (var (name, nodes) in instances)
        {
            result[name] = Group(graph, typeNames, parent, nodes, maxPaths);
        }

        return result;
    }

    /// <summary>Runs the breadth-first search from all roots.</summary>
    /// <param name="graph">The graph.</param>
    /// <returns>Each node's parent node, <c>-(root index + 2)</c> for nodes a root references, -1 for unreached nodes.</returns>
    public static int[] Search(HeapGraph graph)
    {
        var parent = new int[graph.NodeCount];
        Array.Fill(parent, Unvisited);
        var queue = new int[graph.NodeCount];
        int head = 0, tail = 0;
        var roots = graph.Roots;
        for (var r = 0; r < roots.Length; r++)
        {
            var node = roots[r].Node;
            if (parent[node] == Unvisited)
            {
                parent[node] = -(r + 2);
                queue[tail++] = node;
            }
        }

        var edgeStart = graph.EdgeStart;
        while (head < tail)
        {
            var node = queue[head++];
            for (var e = edgeStart[node]; e < edgeStart[node + 1]; e++)
            {
                var target = graph.EdgeTarget(e);
                if (target >= 0 && parent[target] == Unvisited)
                {
                    parent[target] = node;
                    queue[tail++] = target;
                }
            }
        }

        return parent;
    }

    private static RetentionPath[] Group(HeapGraph graph, string[] typeNames, int[] parent, List<int> nodes, int maxPaths)
    {
        if (nodes.Count == 0)
        {
            return [];
        }

        var groups = new Dictionary<string, (string Root, List<string> Chain, int Count)>(StringComparer.Ordinal);
        var chain = new List<string>();
        foreach (var start in nodes)
        {
            chain.Clear();
            var node = start;
            string root;
            while (true)
            {
                chain.Add(typeNames[graph.NodeType[node]]);
                var up = parent[node];
                if (up == Unvisited)
                {
                    root = "unknown root (dependent handle or weak table)";
                    break;
                }

                if (up < Unvisited)
                {
                    root = graph.Roots[-up - 2].Describe();
                    break;
                }

                node = up;
            }

            chain.Reverse();
            var compact = Compact(chain);
            var key = root + "\u0001" + string.Join('\u0001', compact);
            groups.TryGetValue(key, out var group);
            groups[key] = (root, group.Chain ?? compact, group.Count + 1);
        }

        return groups.Values
            .OrderByDescending(g => g.Count)
            .ThenBy(g => g.Root, StringComparer.Ordinal)
            .Take(maxPaths)
            .Select(g => new RetentionPath { Root = g.Root, Share = Math.Round((double)g.Count / nodes.Count, 4), Path = g.Chain })
            .ToArray();
    }

    /// <summary>Collapses runs of one type (linked lists, trees) and elides the middle of very long chains, so equal shapes group together.</summary>
    /// <param name="chain">The type names from the root's object to the instance.</param>
    /// <returns>The compact chain.</returns>
    internal static List<string> Compact(List<string> chain)
    {
        var compact = new List<string>(chain.Count);
        for (var i = 0; i < chain.Count; i++)
        {
            var run = 1;
            while (i + run < chain.Count && chain[i + run] == chain[i])
            {
                run++;
            }

            compact.Add(run > 1 ? chain[i] + " (repeated)" : chain[i]);
            i += run - 1;
        }

        if (compact.Count > MaxChainLength)
        {
            const int head = 5;
            var tail = MaxChainLength - head - 1;
            compact = [.. compact.Take(head), "…", .. compact.Skip(compact.Count - tail)];
        }

        return compact;
    }
}
