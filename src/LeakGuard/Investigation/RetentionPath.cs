namespace LeakGuard.Investigation;

/// <summary>A chain of references from a GC root to instances of a growing type.</summary>
public sealed class RetentionPath
{
    /// <summary>Gets the root described in words, for example <c>static field Sessions</c>, <c>strong GC handle</c>, <c>thread stack</c> or <c>finalizer queue</c>.</summary>
    public required string Root { get; init; }

    /// <summary>Gets the share (0–1) of the sampled instances that this chain holds.</summary>
    public double Share { get; init; }

    /// <summary>Gets the type names along the chain, from the object the root references to the growing type.</summary>
    public required IReadOnlyList<string> Path { get; init; }
}
