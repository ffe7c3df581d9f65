namespace LeakGuard.Investigation;

/// <summary>
/// How many objects each retention chain holds, for every type of one snapshot: every reachable object's shortest path
/// from a root (the breadth-first search of <see cref="RetentionPathFinder.Search(HeapGraph, OwnObjects?, out bool[], out int[], out int)"/>)
/// is a walk down a trie of type steps, and each trie node counts the objects whose chain ends there. Two snapshots'
/// censuses compared chain by chain say which chains <b>gained</b> instances of a growing type: a young leak of a common
/// type (strings added to a static set, among a hundred thousand strings the runtime and the framework hold) is then
/// ranked by where its growth is held, not drowned by where all instances of the type are held.
/// </summary>
/// <remarks>
/// A run of one type (a linked list, a tree) is one trie step marked repeated, as <see cref="RetentionPathFinder.Compact(List{string})"/>
/// writes it, so the trie stays as small as the distinct shapes of the heap. It is bounded by one trie node per four objects
/// (<see cref="MaxChainsPerObject"/>) and by <see cref="MaxChains"/>: a heap with more distinct chains gets no census, and
/// the report falls back to the shares of sampled instances. Memory: a trie node is about 45 bytes (five list entries and
/// its entry in the children's map), so at most ~11 B per object, plus 4 B per object while it is built — within the
/// headroom a snapshot is granted (<see cref="SnapshotBudget.HeadroomBytesPerObject"/>), whose peak is the graph's build.
/// </remarks>
internal sealed class PathCensus
{
    /// <summary>The most trie nodes (distinct chains, prefixes included) a census keeps, whatever the heap's size.</summary>
    public const int MaxChains = 1 << 20;

    /// <summary>The most trie nodes per object of the heap: the census's memory stays a small share of the snapshot's own.</summary>
    public const double MaxChainsPerObject = 0.25;

    private const int NoType = -1;
    private readonly string[] _typeNames;
    private readonly List<int> _up = [];
    private readonly List<int> _type = [];
    private readonly List<bool> _repeated = [];
    private readonly List<string?> _root = [];
    private readonly List<int> _count = [];
    private readonly Dictionary<long, int> _children = [];
    private readonly Dictionary<string, int> _roots = new(StringComparer.Ordinal);

    private readonly int _maxChains;

    private PathCensus(string[] typeNames, int maxChains) => (_typeNames, _maxChains) = (typeNames, maxChains);

    /// <summary>Gets the number of trie nodes (distinct chains and their prefixes).</summary>
    public int Chains => _up.Count;

    /// <summary>Counts every object of <paramref name="graph"/> the application keeps alive by its chain.</summary>
    /// <param name="graph">The snapshot's graph.</param>
    /// <param name="typeNames">The readable name of each type index.</param>
    /// <param name="own">LeakGuard's own types and roots (their objects are not counted), or <see langword="null"/>.</param>
    /// <returns>The census, or <see langword="null"/> past its bound (see the remarks on <see cref="PathCensus"/>).</returns>
    public static PathCensus? Take(HeapGraph graph, string[] typeNames, OwnObjects? own)
    {
        var parent = RetentionPathFinder.Search(graph, own, out var ownOnly, out var order, out var reached);
        return Take(graph, typeNames, parent, ownOnly, order, reached);
    }

    /// <summary>Counts every object by its chain, from a search already run.</summary>
    /// <param name="graph">The snapshot's graph.</param>
    /// <param name="typeNames">The readable name of each type index.</param>
    /// <param name="parent">Each node's parent (see <see cref="RetentionPathFinder.Search(HeapGraph)"/>).</param>
    /// <param name="ownOnly">Per node: kept alive only by LeakGuard (not counted).</param>
    /// <param name="order">The nodes in the order the search reached them (a parent before its children).</param>
    /// <param name="reached">How many entries of <paramref name="order"/> are nodes.</param>
    /// <returns>The census, or <see langword="null"/> past its bound (see the remarks on <see cref="PathCensus"/>).</returns>
    public static PathCensus? Take(HeapGraph graph, string[] typeNames, int[] parent, bool[] ownOnly, int[] order, int reached)
    {
        var census = new PathCensus(typeNames, (int)Math.Min(MaxChains, Math.Max(1024, graph.NodeCount * MaxChainsPerObject)));
        var nodeType = graph.NodeType;
        var trie = new int[graph.NodeCount];
        for (var i = 0; i < reached; i++)
        {
            var node = order[i];
            var up = parent[node];
            var from = up >= 0 ? trie[up] : census.Root(graph.Roots[-up - 2].Describe());
            var at = census.Step(from, nodeType[node]);
            if (at < 0)
            {
                return null;
            }

            trie[node] = at;
            if (!ownOnly[node])
            {
                census._count[at]++;
            }
        }

        // Objects no root reaches (held by a dependent handle or a weak table's entry): a chain of the object alone.
        var unknown = -1;
        for (var node = 0; node < nodeType.Length; node++)
        {
            if (parent[node] != -1 || ownOnly[node])
            {
                continue;
            }

            unknown = unknown < 0 ? census.Root(RetentionPathFinder.UnknownRoot) : unknown;
            var at = census.Step(unknown, nodeType[node]);
            if (at < 0)
            {
                return null;
            }

            census._count[at]++;
        }

        return census;
    }

    /// <summary>
    /// Ranks each growing type's retention paths by the instances they gained from <paramref name="before"/> to
    /// <paramref name="after"/>: a path's share is its gain over the sum of all paths' gains (paths that lost instances do
    /// not count). A type whose paths gained nothing is left out (the caller keeps the shares of all instances).
    /// </summary>
    /// <param name="before">The census of the first snapshot.</param>
    /// <param name="after">The census of the second snapshot.</param>
    /// <param name="types">The growing types' readable names.</param>
    /// <param name="maxPaths">How many paths per type to return.</param>
    /// <returns>For each type with a gain, its paths (see <see cref="RetentionPathFinder.Rank"/>: material chains a root reaches first, each group by gain).</returns>
    public static Dictionary<string, IReadOnlyList<RetentionPath>> Growth(PathCensus before, PathCensus after, IReadOnlyCollection<string> types, int maxPaths = 5)
    {
        ArgumentNullException.ThrowIfNull(before);
        ArgumentNullException.ThrowIfNull(after);
        ArgumentNullException.ThrowIfNull(types);
        var was = before.ChainsOf(types);
        var now = after.ChainsOf(types);
        var result = new Dictionary<string, IReadOnlyList<RetentionPath>>(StringComparer.Ordinal);
        foreach (var (type, chains) in now)
        {
            var earlier = was.GetValueOrDefault(type);
            var gains = new List<(string Root, List<string> Chain, int Gain)>();
            foreach (var (key, chain) in chains)
            {
                var gain = chain.Count - (earlier is not null && earlier.TryGetValue(key, out var old) ? old.Count : 0);
                if (gain > 0)
                {
                    gains.Add((chain.Root, chain.Chain, gain));
                }
            }

            var total = gains.Sum(g => (long)g.Gain);
            if (total == 0)
            {
                continue;
            }

            result[type] = RetentionPathFinder.Rank(gains, total, maxPaths);
        }

        return result;
    }

    /// <summary>The compact chains (as <see cref="RetentionPathFinder.Compact(List{string}, ref string, ref StaticFieldResolver?)"/> writes them, roots named as the path finder names them) of each named type, with their counts.</summary>
    private Dictionary<string, Dictionary<string, (string Root, List<string> Chain, int Count)>> ChainsOf(IReadOnlyCollection<string> types)
    {
        var wanted = new HashSet<string>(types, StringComparer.Ordinal);
        var result = new Dictionary<string, Dictionary<string, (string Root, List<string> Chain, int Count)>>(StringComparer.Ordinal);
        var raw = new List<string>();
        StaticFieldResolver? fields = null;
        for (var at = 0; at < _up.Count; at++)
        {
            if (_count[at] == 0 || _type[at] == NoType || !wanted.Contains(_typeNames[_type[at]]))
            {
                continue;
            }

            // Up the trie to the root's entry: the chain from the instance back to the root's object, then reversed.
            raw.Clear();
            var step = at;
            while (_type[step] != NoType)
            {
                raw.Add(_typeNames[_type[step]]);
                if (_repeated[step])
                {
                    raw.Add(_typeNames[_type[step]]);
                }

                step = _up[step];
            }

            raw.Reverse();
            var root = _root[step]!;
            var chain = RetentionPathFinder.Compact(raw, ref root, ref fields);
            var key = root + "\u0001" + string.Join('\u0001', chain);
            var name = _typeNames[_type[at]];
            if (!result.TryGetValue(name, out var chains))
            {
                result[name] = chains = new(StringComparer.Ordinal);
            }

            var count = chains.TryGetValue(key, out var known) ? known.Count : 0;
            chains[key] = (root, known.Chain ?? chain, count + _count[at]);
        }

        return result;
    }

    private int Root(string description)
    {
        if (!_roots.TryGetValue(description, out var at))
        {
            at = Add(up: -1, NoType, repeated: false, description);
            _roots[description] = at;
        }

        return at;
    }

    /// <summary>The trie node one step of <paramref name="type"/> below <paramref name="from"/>; -1 past the census's bound.</summary>
    private int Step(int from, int type)
    {
        var repeated = false;
        if (_type[from] == type)
        {
            // A run of one type: its second step is the run, and the run absorbs every further step of the type.
            if (_repeated[from])
            {
                return from;
            }

            repeated = true;
        }

        var key = ((long)from << 32) | ((uint)type << 1) | (repeated ? 1u : 0u);
        if (_children.TryGetValue(key, out var at))
        {
            return at;
        }

        if (_up.Count >= _maxChains)
        {
            return -1;
        }

        at = repeated ? Add(_up[from], type, repeated: true, root: null) : Add(from, type, repeated: false, root: null);
        _children[key] = at;
        return at;
    }

    private int Add(int up, int type, bool repeated, string? root)
    {
        _up.Add(up);
        _type.Add(type);
        _repeated.Add(repeated);
        _root.Add(root);
        _count.Add(0);
        return _up.Count - 1;
    }
}
