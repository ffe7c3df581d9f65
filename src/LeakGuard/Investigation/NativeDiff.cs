using System.Globalization;
using LeakGuard.Formatting;

namespace LeakGuard.Investigation;

/// <summary>Turns two <see cref="NativeReading"/>s (and the heap snapshots of the same window) into <see cref="NativeEvidence"/>.</summary>
internal static class NativeDiff
{
    /// <summary>Growth under this is not a finding: a mebibyte is what a few threads or a JIT burst move.</summary>
    public const long MaterialBytes = 1 << 20;

    private const int MaxSafeHandleTypes = 10;

    /// <summary>Gets the JSON name of each <see cref="MappingClass"/>, in its order.</summary>
    public static IReadOnlyList<string> ClassNames { get; } =
        ["mallocHeap", "mallocArenas", "threadStacks", "gcHeap", "jitCode", "mappedFiles", "otherAnonymous", "other"];

    /// <summary>Compares two readings.</summary>
    /// <param name="before">The reading at the start of the window.</param>
    /// <param name="after">The reading at its end (taken with <paramref name="before"/>, so it knows the new threads' names).</param>
    /// <param name="snapshotBefore">The first heap snapshot of the window, or <see langword="null"/>.</param>
    /// <param name="snapshotAfter">The second heap snapshot, or <see langword="null"/>.</param>
    /// <returns>The evidence, with its finding in one sentence.</returns>
    public static NativeEvidence Compare(NativeReading before, NativeReading after, HeapSnapshotSummary? snapshotBefore, HeapSnapshotSummary? snapshotAfter)
    {
        ArgumentNullException.ThrowIfNull(before);
        ArgumentNullException.ThrowIfNull(after);
        if ((before.Missing ?? after.Missing) is { } why)
        {
            return new NativeEvidence { Finding = "no native evidence: " + why, Missing = why, MappingsMissing = after.MappingsMissing, MallocMissing = after.MallocMissing };
        }

        var mappingsMissing = before.MappingsMissing ?? after.MappingsMissing
            ?? (before.RssBytes.Length != MappingClassifier.ClassCount || after.RssBytes.Length != MappingClassifier.ClassCount ? "no mapping classes were read" : null);
        var mappings = mappingsMissing is null ? Mappings(before, after) : [];
        var malloc = before.Malloc is { } m0 && after.Malloc is { } m1
            ? new NativeMalloc
            {
                InUseBytesBefore = m0.InUseBytes,
                InUseBytesAfter = m1.InUseBytes,
                FreeBytesBefore = m0.FreeBytes,
                FreeBytesAfter = m1.FreeBytes,
                MappedBytesBefore = m0.MappedBytes,
                MappedBytesAfter = m1.MappedBytes,
            }
            : null;
        var threads = before.ThreadIds is { } t0 && after.ThreadIds is { } t1 ? Threads(t0, t1, after) : null;
        return new NativeEvidence
        {
            Finding = Finding(mappings, malloc, threads),
            SecondsApart = (after.At - before.At).TotalSeconds,
            ReadMilliseconds = Math.Max(before.Milliseconds, after.Milliseconds),
            Mappings = mappings,
            MappingsMissing = mappingsMissing,
            Malloc = malloc,
            MallocMissing = malloc is null ? before.MallocMissing ?? after.MallocMissing ?? "malloc statistics could not be read" : null,
            Threads = threads,
            SafeHandles = snapshotBefore is not null && snapshotAfter is not null ? SafeHandles(snapshotBefore, snapshotAfter) : null,
        };
    }

    /// <summary>Gets a mapping class's growth in bytes.</summary>
    /// <param name="row">The class.</param>
    /// <returns>After minus before.</returns>
    public static long Growth(NativeMappingClass row) => row.RssBytesAfter - row.RssBytesBefore;

    /// <summary>Formats a signed byte amount: <c>+180 MiB</c>, <c>-2.0 MiB</c>.</summary>
    /// <param name="bytes">The amount.</param>
    /// <returns>The text.</returns>
    public static string Signed(long bytes) => (bytes < 0 ? "-" : "+") + Readable.Bytes(Math.Abs(bytes));

    private static List<NativeMappingClass> Mappings(NativeReading before, NativeReading after) =>
    [
        .. Enumerable.Range(0, MappingClassifier.ClassCount)
            .Select(c => new NativeMappingClass
            {
                Class = ClassNames[c],
                RssBytesBefore = before.RssBytes[c],
                RssBytesAfter = after.RssBytes[c],
                MappingsBefore = before.Mappings[c],
                MappingsAfter = after.Mappings[c],
            })
            .OrderByDescending(Growth),
    ];

    private static NativeThreads Threads(int[] before, int[] after, NativeReading reading)
    {
        var started = after.Count(id => Array.BinarySearch(before, id) < 0);
        var ended = before.Count(id => Array.BinarySearch(after, id) < 0);
        return new NativeThreads
        {
            Before = before.Length,
            After = after.Length,
            Started = started,
            Ended = ended,
            StartedByName = [.. reading.NewThreadNames.Select(n => new NativeThreadGroup { Name = n.Name, Count = n.Count })],
        };
    }

    private static List<SafeHandleCount> SafeHandles(HeapSnapshotSummary before, HeapSnapshotSummary after)
    {
        static Dictionary<string, long> Counts(HeapSnapshotSummary summary) =>
            summary.Types.Where(t => IsSafeHandle(t.Type)).GroupBy(t => t.Type, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Sum(t => t.Count), StringComparer.Ordinal);

        var first = Counts(before);
        var second = Counts(after);
        return
        [
            .. first.Keys.Union(second.Keys, StringComparer.Ordinal)
                .Select(type => new SafeHandleCount { Type = type, CountBefore = first.GetValueOrDefault(type), CountAfter = second.GetValueOrDefault(type) })
                .OrderByDescending(h => h.CountAfter - h.CountBefore)
                .ThenByDescending(h => h.CountAfter)
                .ThenBy(h => h.Type, StringComparer.Ordinal)
                .Take(MaxSafeHandleTypes),
        ];
    }

    // SafeFileHandle, SafeWaitHandle, SafeSocketHandle, SafeX509Handle, …: the heap snapshot names types without their base
    // types, so the convention every SafeHandle in the BCL follows is the test.
    internal static bool IsSafeHandle(string type)
    {
        var name = type.AsSpan(type.LastIndexOf('.') + 1);
        return name.StartsWith("Safe", StringComparison.Ordinal) && name.EndsWith("Handle", StringComparison.Ordinal);
    }

    private static string Finding(List<NativeMappingClass> mappings, NativeMalloc? malloc, NativeThreads? threads)
    {
        var parts = new List<string>();
        if (malloc is not null)
        {
            var inUse = malloc.InUseBytesAfter - malloc.InUseBytesBefore;
            var free = malloc.FreeBytesAfter - malloc.FreeBytesBefore;
            if (inUse >= MaterialBytes && inUse >= free)
            {
                parts.Add($"malloc in use {Signed(inUse)}: native allocations that are never freed (a native leak)");
            }
            else if (free >= MaterialBytes)
            {
                parts.Add($"malloc free {Signed(free)} while in use changed by {Signed(inUse)}: fragmentation, memory freed to malloc that its arenas keep, not live allocations");
            }
        }

        if (threads is { Started: > 0 } && threads.After - threads.Before > 0)
        {
            var top = threads.StartedByName.Count > 0 ? $", most named '{threads.StartedByName[0].Name}' ({threads.StartedByName[0].Count})" : string.Empty;
            parts.Add(string.Create(CultureInfo.InvariantCulture, $"threads {threads.Before} → {threads.After} ({threads.Started} started, {threads.Ended} ended{top}): threads that start and never end"));
        }

        if (mappings.Count > 0 && Growth(mappings[0]) >= MaterialBytes)
        {
            var total = mappings.Sum(Growth);
            parts.Add($"resident memory grew most in {mappings[0].Class} ({Signed(Growth(mappings[0]))} of {Signed(total)})");
        }

        if (parts.Count == 0)
        {
            var total = mappings.Sum(Growth);
            var threadText = threads is null ? string.Empty : string.Create(CultureInfo.InvariantCulture, $", threads {threads.Before} → {threads.After}");
            return mappings.Count > 0
                ? $"no native growth of 1 MiB or more between the readings (resident {Signed(total)}{threadText})"
                : $"no native growth found{threadText}";
        }

        return string.Join("; ", parts);
    }
}
