namespace LeakGuard.Investigation;

/// <summary>The process's threads at the two native readings.</summary>
public sealed class NativeThreads
{
    /// <summary>Gets the thread count at the first reading.</summary>
    public int Before { get; init; }

    /// <summary>Gets the thread count at the second reading.</summary>
    public int After { get; init; }

    /// <summary>Gets how many threads exist at the second reading that did not at the first.</summary>
    public int Started { get; init; }

    /// <summary>Gets how many threads of the first reading are gone at the second.</summary>
    public int Ended { get; init; }

    /// <summary>Gets the started threads by name (the OS name: <c>Thread.Name</c>, cut to 15 bytes), most first, at most ten names.</summary>
    public IReadOnlyList<NativeThreadGroup> StartedByName { get; init; } = [];
}
