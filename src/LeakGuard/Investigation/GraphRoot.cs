namespace LeakGuard.Investigation;

/// <summary>One root of a heap graph: the node it references, its kind and (for static fields) its name.</summary>
/// <param name="Node">The index of the referenced node.</param>
/// <param name="Kind">The kind of root.</param>
/// <param name="Name">The static field's name, or <see langword="null"/>.</param>
internal readonly record struct GraphRoot(int Node, RootKind Kind, string? Name)
{
    /// <summary>Describes the root in words, as shown in reports.</summary>
    /// <returns>For example <c>static field Sessions</c> or <c>strong GC handle</c>.</returns>
    public string Describe() => Describe(Kind, Name);

    /// <summary>Describes a root in words, as shown in reports.</summary>
    /// <param name="kind">The kind of root.</param>
    /// <param name="name">The static field's name, or <see langword="null"/>.</param>
    /// <returns>For example <c>static field Sessions</c> or <c>strong GC handle</c>.</returns>
    public static string Describe(RootKind kind, string? name) => kind switch
    {
        RootKind.StaticField => string.IsNullOrEmpty(name) ? "static field" : "static field " + name,
        RootKind.StrongHandle => "strong GC handle",
        RootKind.PinnedHandle => "pinned GC handle",
        RootKind.Stack => "thread stack",
        RootKind.FinalizerQueue => "finalizer queue",
        _ => "other root",
    };
}
