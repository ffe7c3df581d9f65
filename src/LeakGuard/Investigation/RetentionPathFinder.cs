namespace LeakGuard.Investigation;

/// <summary>
/// Finds who holds the instances of growing types: one breadth-first search from all roots gives every reachable
/// node its shortest path (statics searched first, see <see cref="HeapGraphBuilder.Build"/>); sampled instances'
/// paths are turned into chains of type names and grouped, each chain with the share of instances it holds.
/// </summary>
internal static class RetentionPathFinder
{
    /// <summary>How a chain no root reaches is described (an object a dependent handle or a weak table's entry keeps).</summary>
    internal const string UnknownRoot = "unknown root (dependent handle or weak table)";

    private const int Unvisited = -1;
    private const int MaxChainLength = 12;
    private const string StaticFieldPrefix = "static field ";
    private const string Repeated = " (repeated)";

    /// <summary>Finds the retention paths of the instances of <paramref name="targetTypes"/>.</summary>
    /// <param name="graph">The graph of the second snapshot.</param>
    /// <param name="typeNames">The readable name of each type index.</param>
    /// <param name="targetTypes">The readable names of the types to explain.</param>
    /// <param name="maxSamples">How many instances per type to follow (evenly spaced over the heap).</param>
    /// <param name="maxPaths">How many chains per type to return.</param>
    /// <param name="own">LeakGuard's own types and roots (see <see cref="Search(HeapGraph, OwnObjects?, out bool[])"/>), or <see langword="null"/>.</param>
    /// <returns>For each target type, its chains, most common first; instances only LeakGuard keeps alive are left out.</returns>
    public static Dictionary<string, IReadOnlyList<RetentionPath>> Find(
        HeapGraph graph, string[] typeNames, IReadOnlyCollection<string> targetTypes, int maxSamples = 1000, int maxPaths = 5, OwnObjects? own = null)
    {
        var parent = Search(graph, own, out var ownOnly);
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
            if (targets.Contains(name) && !ownOnly[n])
            {
                totals[name]++;
            }
        }

        var seen = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var n = 0; n < nodeType.Length; n++)
        {
            var name = typeNames[nodeType[n]];
            if (!targets.Contains(name) || ownOnly[n])
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
    public static int[] Search(HeapGraph graph) => Search(graph, own: null, out _);

    /// <summary>
    /// Runs the breadth-first search from all roots, the application's first: LeakGuard's own roots and objects are
    /// a barrier until every object the application reaches without them has its path; only then is the search
    /// continued through them, and what it reaches then is kept alive by LeakGuard alone.
    /// </summary>
    /// <param name="graph">The graph.</param>
    /// <param name="own">LeakGuard's own types and roots, or <see langword="null"/> to search all roots alike.</param>
    /// <param name="ownOnly">Per node: reached only through LeakGuard's own roots or objects (all <see langword="false"/> without <paramref name="own"/>).</param>
    /// <returns>Each node's parent node, <c>-(root index + 2)</c> for nodes a root references, -1 for unreached nodes.</returns>
    public static int[] Search(HeapGraph graph, OwnObjects? own, out bool[] ownOnly) => Search(graph, own, out ownOnly, out _, out _);

    /// <summary>Runs the breadth-first search from all roots, the application's first (see <see cref="Search(HeapGraph, OwnObjects?, out bool[])"/>).</summary>
    /// <param name="graph">The graph.</param>
    /// <param name="own">LeakGuard's own types and roots, or <see langword="null"/> to search all roots alike.</param>
    /// <param name="ownOnly">Per node: reached only through LeakGuard's own roots or objects.</param>
    /// <param name="order">The reached nodes in the order the search reached them: a node's parent always comes before it.</param>
    /// <param name="reached">How many entries of <paramref name="order"/> are reached nodes.</param>
    /// <returns>Each node's parent node, <c>-(root index + 2)</c> for nodes a root references, -1 for unreached nodes.</returns>
    public static int[] Search(HeapGraph graph, OwnObjects? own, out bool[] ownOnly, out int[] order, out int reached)
    {
        var parent = new int[graph.NodeCount];
        Array.Fill(parent, Unvisited);
        var queue = new int[graph.NodeCount];
        var deferred = new List<int>();
        int head = 0, tail = 0;
        var roots = graph.Roots;
        var nodeType = graph.NodeType;
        // The objects LeakGuard's static fields reference are its own whatever else reaches them: the runtime keeps
        // every static also in a statics array under a GC handle (boxed value types too, such as TraceEvent's
        // Guid ProviderGuid fields), and that handle is no barrier. Taken first, they are searched after the application.
        for (var r = 0; r < roots.Length && own is not null; r++)
        {
            var node = roots[r].Node;
            if (own.OwnRoots[r] && parent[node] == Unvisited)
            {
                parent[node] = -(r + 2);
                deferred.Add(node);
            }
        }

        // Roots that outlive the current call (static fields, handles) first, to the end; thread stacks and the finalization
        // queue then explain only what those do not reach: a handler list being rebuilt on a thread's stack also reaches
        // every handler the static event holds, one hop closer, and the snapshot must not name the stack as their holder.
        foreach (var transient in (ReadOnlySpan<bool>)[false, true])
        {
            for (var r = 0; r < roots.Length; r++)
            {
                var node = roots[r].Node;
                if ((roots[r].Kind >= RootKind.Stack) == transient && parent[node] == Unvisited && !(own?.OwnRoots[r] ?? false))
                {
                    parent[node] = -(r + 2);
                    if (own?.OwnTypes[nodeType[node]] ?? false)
                    {
                        deferred.Add(node);
                    }
                    else
                    {
                        queue[tail++] = node;
                    }
                }
            }

            Drain(graph, parent, queue, ref head, ref tail, own?.OwnTypes, deferred);
        }

        var applicationReached = tail;
        for (var r = 0; r < roots.Length; r++)
        {
            var node = roots[r].Node;
            if (parent[node] == Unvisited)
            {
                parent[node] = -(r + 2);
                queue[tail++] = node;
            }
        }

        foreach (var node in deferred)
        {
            queue[tail++] = node;
        }

        Drain(graph, parent, queue, ref head, ref tail, barrier: null, deferred: null);
        ownOnly = new bool[graph.NodeCount];
        for (var i = applicationReached; i < tail; i++)
        {
            ownOnly[queue[i]] = true;
        }

        (order, reached) = (queue, tail);
        return parent;
    }

    private static void Drain(HeapGraph graph, int[] parent, int[] queue, ref int head, ref int tail, bool[]? barrier, List<int>? deferred)
    {
        var edgeStart = graph.EdgeStart;
        var nodeType = graph.NodeType;
        while (head < tail)
        {
            var node = queue[head++];
            for (var e = edgeStart[node]; e < edgeStart[node + 1]; e++)
            {
                var target = graph.EdgeTarget(e);
                if (target < 0 || parent[target] != Unvisited)
                {
                    continue;
                }

                parent[target] = node;
                if (barrier is not null && barrier[nodeType[target]])
                {
                    deferred!.Add(target);
                }
                else
                {
                    queue[tail++] = target;
                }
            }
        }
    }

    private static RetentionPath[] Group(HeapGraph graph, string[] typeNames, int[] parent, List<int> nodes, int maxPaths)
    {
        if (nodes.Count == 0)
        {
            return [];
        }

        var groups = new Dictionary<string, (string Root, List<string> Chain, int Count)>(StringComparer.Ordinal);
        StaticFieldResolver? fields = null;
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
                    root = UnknownRoot;
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
            var compact = Compact(chain, ref root, ref fields);
            var key = root + "\u0001" + string.Join('\u0001', compact);
            groups.TryGetValue(key, out var group);
            groups[key] = (root, group.Chain ?? compact, group.Count + 1);
        }

        return Rank(groups.Values, nodes.Count, maxPaths);
    }

    /// <summary>
    /// Turns counted chains into a report's paths: chains under 1 % of <paramref name="total"/> are noise and left out (the
    /// largest always stays); of the rest, the chains a root reaches come first, each group largest first. A chain no
    /// root reaches (an object a weak table or a dependent handle keeps) names no holder: it is listed with its share,
    /// but it is the main chain — the one the known pattern, the signature and the logs' "held by" use — only when no
    /// material chain has a root.
    /// </summary>
    /// <param name="chains">The chains with the instances each holds (or gained).</param>
    /// <param name="total">What the shares are of.</param>
    /// <param name="maxPaths">How many paths to return.</param>
    /// <returns>The paths, main chain first.</returns>
    internal static RetentionPath[] Rank(IEnumerable<(string Root, List<string> Chain, int Count)> chains, long total, int maxPaths) =>
        chains
            .OrderByDescending(g => g.Count)
            .ThenBy(g => g.Root, StringComparer.Ordinal)
            .Where((g, rank) => rank == 0 || g.Count * 100L >= total)
            .OrderBy(g => g.Root == UnknownRoot) // stable: each group keeps its order
            .Take(maxPaths)
            .Select(g => new RetentionPath { Root = g.Root, Share = Math.Round(g.Count / (double)total, 4), Path = g.Chain })
            .ToArray();

    /// <summary>
    /// Compacts a chain (<see cref="Compact(List{string})"/>) and, when the fold left out the root's object (the timer
    /// queue's array), names a static-field root now, by that object's type, before it is lost.
    /// </summary>
    /// <param name="chain">The type names from the root's object to the instance.</param>
    /// <param name="root">The root as <see cref="GraphRoot.Describe()"/> says it; qualified when the fold needs it.</param>
    /// <param name="fields">The resolver for static fields, created on first use.</param>
    /// <returns>The compact chain.</returns>
    internal static List<string> Compact(List<string> chain, ref string root, ref StaticFieldResolver? fields)
    {
        var compact = Compact(chain);
        if (compact[0] != chain[0] && compact[0] != chain[0] + Repeated && root.StartsWith(StaticFieldPrefix, StringComparison.Ordinal))
        {
            fields ??= new StaticFieldResolver();
            root = fields.QualifyRoot(root, chain[0]) ?? root;
        }

        return compact;
    }

    /// <summary>
    /// Folds the runtime's lists (<see cref="CollectionInternals.FoldRuntimeLists"/>: delegates' invocation lists, the
    /// timer queue) and collections' internals (<see cref="CollectionInternals"/>), collapses runs of one type (linked
    /// lists, trees) and elides the middle of very long chains, so equal shapes group together. When the timer queue's
    /// steps are left out the chain no longer starts at the root's object; <see cref="Find"/> then names a static-field
    /// root from that object's type before it is lost.
    /// </summary>
    /// <param name="chain">The type names from the root's object to the instance.</param>
    /// <returns>The compact chain.</returns>
    internal static List<string> Compact(List<string> chain)
    {
        chain = CollectionInternals.Fold(CollectionInternals.FoldRuntimeLists(chain));
        var compact = new List<string>(chain.Count);
        for (var i = 0; i < chain.Count; i++)
        {
            var run = 1;
            while (i + run < chain.Count && chain[i + run] == chain[i])
            {
                run++;
            }

            compact.Add(run > 1 ? chain[i] + Repeated : chain[i]);
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
