namespace LeakGuard.Investigation;

/// <summary>
/// Where native memory went between two readings of the own process, at the start and the end of an investigation's
/// window: resident memory per mapping class, glibc malloc's in-use and free bytes, the threads, SafeHandles by type.
/// Present in the reports of investigations of <c>native_memory</c>, <c>process_memory</c> and <c>threads</c> leaks and
/// in manual ones. See docs/investigation.md#native-evidence.
/// </summary>
public sealed class NativeEvidence
{
    /// <summary>Gets the finding in one sentence, for example <c>malloc in use +180 MiB: native allocations that are never freed</c>.</summary>
    public required string Finding { get; init; }

    /// <summary>Gets why there is no native evidence at all (not Linux), or <see langword="null"/> when it was read.</summary>
    public string? Missing { get; init; }

    /// <summary>Gets how far apart the two readings were, in seconds.</summary>
    public double SecondsApart { get; init; }

    /// <summary>Gets how long the slower of the two readings took, in milliseconds.</summary>
    public double ReadMilliseconds { get; init; }

    /// <summary>Gets the resident memory per mapping class, largest growth first; empty when <see cref="MappingsMissing"/> says why.</summary>
    public IReadOnlyList<NativeMappingClass> Mappings { get; init; } = [];

    /// <summary>Gets why there are no mapping classes (not Linux, <c>/proc/self/smaps</c> unreadable), or <see langword="null"/>.</summary>
    public string? MappingsMissing { get; init; }

    /// <summary>Gets glibc malloc's account at both readings, or <see langword="null"/> where <see cref="MallocMissing"/> says why.</summary>
    public NativeMalloc? Malloc { get; init; }

    /// <summary>Gets why there are no malloc statistics (musl, glibc before 2.33, not Linux), or <see langword="null"/>.</summary>
    public string? MallocMissing { get; init; }

    /// <summary>Gets the threads at both readings, or <see langword="null"/> when they could not be listed.</summary>
    public NativeThreads? Threads { get; init; }

    /// <summary>
    /// Gets the live <c>SafeHandle</c>s by type in the two heap snapshots (types named <c>Safe…Handle</c>, the .NET convention),
    /// largest growth first; <see langword="null"/> when the report has no snapshots.
    /// </summary>
    public IReadOnlyList<SafeHandleCount>? SafeHandles { get; init; }
}
