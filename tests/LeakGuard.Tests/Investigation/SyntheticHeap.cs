using NUnit.Framework;
using LeakGuard.Investigation;

namespace LeakGuard.Tests.Investigation;

/// <summary>Builds synthetic heaps through the same builder the snapshotter feeds.</summary>
internal sealed class SyntheticHeap
{
    private readonly HeapGraphBuilder _builder = new();
    private readonly Dictionary<string, ulong> _types = [];
    private readonly List<(ulong Address, string Type, ulong[] Targets)> _nodes = [];
    private ulong _nextAddress = 0x10000;

    public ulong Object(string type, int size = 24, params ulong[] targets)
    {
        var address = _nextAddress;
        _nextAddress += 0x20;
        _nodes.Add((address, type, targets));
        return address;
    }

    public ulong Object(string type, params ulong[] targets) => Object(type, 24, targets);

    public void Reference(ulong from, ulong to)
    {
        var index = _nodes.FindIndex(n => n.Address == from);
        var node = _nodes[index];
        _nodes[index] = (node.Address, node.Type, [.. node.Targets, to]);
    }

    public void Root(ulong address, RootKind kind, string? name = null) => _builder.AddRoot(address, kind, name);

    public HeapGraph Build(bool shuffle = false)
    {
        var order = shuffle ? _nodes.AsEnumerable().Reverse().ToList() : _nodes;
        foreach (var (address, type, targets) in order)
        {
            if (!_types.TryGetValue(type, out var id))
            {
                id = 0x7000 + (ulong)_types.Count * 8;
                _types[type] = id;
                _builder.AddType(id, type);
            }

            _builder.AddNode(address, 24, id, targets.Length);
        }

        foreach (var (_, _, targets) in order)
        {
            foreach (var target in targets)
            {
                _builder.AddEdge(target);
            }
        }

        return _builder.Build();
    }

    public static string[] Names(HeapGraph graph) => HeapSummarizer.RenderTypeNames(graph, resolver: null);
}
