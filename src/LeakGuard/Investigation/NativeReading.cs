namespace LeakGuard.Investigation;

/// <summary>One native reading of the own process: resident memory per mapping class, malloc's account, the threads.</summary>
internal sealed class NativeReading
{
    /// <summary>Gets when it was read.</summary>
    public DateTimeOffset At { get; init; }

    /// <summary>Gets how long reading took, in milliseconds.</summary>
    public double Milliseconds { get; init; }

    /// <summary>Gets why nothing of <c>/proc</c> was read (not Linux), or <see langword="null"/> when it was.</summary>
    public string? Missing { get; init; }

    /// <summary>Gets why there are no mapping classes, or <see langword="null"/> when <see cref="RssBytes"/> holds them.</summary>
    public string? MappingsMissing { get; init; }

    /// <summary>Gets the resident bytes per <see cref="MappingClass"/> (empty when <see cref="MappingsMissing"/>).</summary>
    public long[] RssBytes { get; init; } = [];

    /// <summary>Gets the accessible mappings per <see cref="MappingClass"/> (empty when <see cref="MappingsMissing"/>).</summary>
    public int[] Mappings { get; init; } = [];

    /// <summary>Gets glibc's malloc statistics, or <see langword="null"/> where <see cref="MallocMissing"/> says why.</summary>
    public MallocStatistics? Malloc { get; init; }

    /// <summary>Gets why there are no malloc statistics (musl, glibc before 2.33, not Linux), or <see langword="null"/>.</summary>
    public string? MallocMissing { get; init; }

    /// <summary>Gets the thread ids, sorted, or <see langword="null"/> when they could not be listed.</summary>
    public int[]? ThreadIds { get; init; }

    /// <summary>Gets the names of the threads that did not exist at the reading this one was compared to, with their count, most first.</summary>
    public IReadOnlyList<(string Name, int Count)> NewThreadNames { get; init; } = [];
}
