namespace LeakGuard.Investigation;

/// <summary>What keeps a root object alive, in the order the path search prefers them.</summary>
internal enum RootKind
{
    /// <summary>A static field (named by <c>GCBulkRootStaticVar</c>).</summary>
    StaticField = 0,

    /// <summary>A strong GC handle (for example one created by <c>GCHandle.Alloc</c> or the runtime's own tables).</summary>
    StrongHandle = 1,

    /// <summary>A pinning GC handle.</summary>
    PinnedHandle = 2,

    /// <summary>A local variable or argument on a thread's stack.</summary>
    Stack = 3,

    /// <summary>An object waiting for or registered for finalization.</summary>
    FinalizerQueue = 4,

    /// <summary>Any other root (older generation, sized reference, overflow).</summary>
    Other = 5,
}
