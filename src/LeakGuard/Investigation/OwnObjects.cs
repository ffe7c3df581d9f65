namespace LeakGuard.Investigation;

/// <summary>
/// Which types and roots of one heap graph are LeakGuard's own or its diagnostics libraries' (TraceEvent,
/// Microsoft.Diagnostics.NETCore.Client): the path search treats them as a barrier, so an object that only they
/// keep alive (a snapshot summary's type names, TraceEvent's parser tables, the detector's buffers) is neither
/// counted nor reported, and an application object's path never runs through them.
/// </summary>
internal sealed class OwnObjects
{
    /// <summary>Initializes a new instance of the <see cref="OwnObjects"/> class.</summary>
    /// <param name="ownTypes">Per type index: whether the type is LeakGuard's or a diagnostics library's.</param>
    /// <param name="ownRoots">Per root index: whether the root is a static field declared by those assemblies.</param>
    public OwnObjects(bool[] ownTypes, bool[] ownRoots)
    {
        OwnTypes = ownTypes;
        OwnRoots = ownRoots;
    }

    /// <summary>Gets, per type index, whether the type is LeakGuard's or a diagnostics library's.</summary>
    public bool[] OwnTypes { get; }

    /// <summary>Gets, per root index, whether the root is one of those assemblies' static fields.</summary>
    public bool[] OwnRoots { get; }

    /// <summary>Marks the own types (by raw or readable name) and the own static-field roots of a graph.</summary>
    /// <param name="graph">The graph.</param>
    /// <param name="typeNames">The readable name of each type index.</param>
    /// <param name="ownStatics">The own static fields as <see cref="OwnStaticFields.Key"/>s, or <see langword="null"/> for none.</param>
    /// <returns>The marks.</returns>
    public static OwnObjects Of(HeapGraph graph, string[] typeNames, IReadOnlySet<string>? ownStatics)
    {
        var ownTypes = new bool[typeNames.Length];
        for (var t = 0; t < ownTypes.Length; t++)
        {
            ownTypes[t] = OwnTypeFilter.IsOwn(graph.TypeNames[t]) || OwnTypeFilter.IsOwn(typeNames[t]);
        }

        var roots = graph.Roots;
        var ownRoots = new bool[roots.Length];
        if (ownStatics is { Count: > 0 })
        {
            for (var r = 0; r < roots.Length; r++)
            {
                ownRoots[r] = roots[r] is { Kind: RootKind.StaticField, Name: { } name }
                    && ownStatics.Contains(OwnStaticFields.Key(name, typeNames[graph.NodeType[roots[r].Node]]));
            }
        }

        return new OwnObjects(ownTypes, ownRoots);
    }
}
