namespace LeakGuard.Investigation;

/// <summary>
/// Sums resident bytes per <see cref="MappingClass"/> from the shapes of the mappings: the kernel names only files,
/// <c>[heap]</c> and the main stack, so the rest is told from layout. See docs/investigation.md#native-evidence for
/// what the shapes cannot tell apart.
/// </summary>
internal static class MappingClassifier
{
    /// <summary>The number of classes.</summary>
    public const int ClassCount = (int)MappingClass.Other + 1;

    // A thread stack is mapped with an inaccessible guard below it: one page by default, pthread attributes may ask more.
    // Stacks are at least this large (.NET's threads get 1.5 MiB, native threads 8 MiB); the GC's small bookkeeping
    // pieces next to small inaccessible gaps are not.
    private const ulong MaxGuardBytes = 64UL << 10;
    private const ulong MinStackBytes = 128UL << 10;

    // The GC commits each region from its start, and regions are 1 MiB or more (4 MiB by default), so inside its range a
    // writable piece after a small uncommitted tail starts on a region boundary; a stack above its one-page guard does not.
    private const ulong RegionAlignment = 1UL << 20;

    // glibc's HEAP_MAX_SIZE: every arena but the main one grows in heaps reserved at this size and alignment
    // (2 × the largest mmap threshold: 64 MiB on 64-bit, 1 MiB on 32-bit).
    private static readonly ulong ArenaHeapBytes = IntPtr.Size == 8 ? 64UL << 20 : 1UL << 20;

    /// <summary>Sums resident bytes and counts accessible mappings per class.</summary>
    /// <param name="mappings">The mappings in address order.</param>
    /// <param name="gcAnchor">An address inside the GC's heap (0 when unknown: no mapping is then classed as GC heap).</param>
    /// <param name="rssBytes">Receives the resident bytes per class (length <see cref="ClassCount"/>).</param>
    /// <param name="counts">Receives the accessible mappings per class (length <see cref="ClassCount"/>).</param>
    public static void Classify(ReadOnlySpan<Mapping> mappings, ulong gcAnchor, Span<long> rssBytes, Span<int> counts)
    {
        rssBytes.Clear();
        counts.Clear();
        var (gcFirst, gcLast) = GcRange(mappings, gcAnchor);
        for (var i = 0; i < mappings.Length; i++)
        {
            var mapping = mappings[i];
            if (mapping.IsInaccessible)
            {
                continue;
            }

            var cls = i >= gcFirst && i <= gcLast ? MappingClass.GcHeap : Of(mappings, i);
            rssBytes[(int)cls] += mapping.RssBytes;
            counts[(int)cls]++;
        }
    }

    private static MappingClass Of(ReadOnlySpan<Mapping> mappings, int i)
    {
        var mapping = mappings[i];
        switch (mapping.Kind)
        {
            case MappingKind.Heap:
                return MappingClass.MallocHeap;
            case MappingKind.Stack:
                return MappingClass.ThreadStacks;
            case MappingKind.DoubleMapper:
                return MappingClass.JitCode;
            case MappingKind.File:
                return MappingClass.MappedFiles;
            case MappingKind.Kernel:
                return MappingClass.Other;
            case MappingKind.NamedAnonymous:
                return MappingClass.OtherAnonymous;
        }

        if ((mapping.Access & MappingAccess.Execute) != 0)
        {
            // With W^X off (DOTNET_EnableWriteXorExecute=0) the runtime's code heaps are anonymous and executable.
            return MappingClass.JitCode;
        }

        if (IsArenaHeap(mappings, i))
        {
            return MappingClass.MallocArenas;
        }

        return IsStack(mappings, i) ? MappingClass.ThreadStacks : MappingClass.OtherAnonymous;
    }

    private static bool IsStack(ReadOnlySpan<Mapping> mappings, int i) => i > 0 && IsGuardBelow(mappings[i - 1], mappings[i]);

    // An arena heap starts on a HEAP_MAX_SIZE boundary; its used part is read-write and the rest of the reservation,
    // up to the next boundary, inaccessible until the arena grows into it.
    private static bool IsArenaHeap(ReadOnlySpan<Mapping> mappings, int i)
    {
        var mapping = mappings[i];
        if (mapping.Start % ArenaHeapBytes != 0 || mapping.Size > ArenaHeapBytes)
        {
            return false;
        }

        if (mapping.Size == ArenaHeapBytes)
        {
            return true;
        }

        return i + 1 < mappings.Length && mappings[i + 1] is { IsInaccessible: true, Kind: MappingKind.Anonymous } rest
            && rest.Start == mapping.End && rest.End == mapping.Start + ArenaHeapBytes;
    }

    private static bool IsGuardBelow(Mapping below, Mapping mapping) =>
        below.Kind == MappingKind.Anonymous && below.IsInaccessible && below.End == mapping.Start && below.Size <= MaxGuardBytes
        && (mapping.Access & MappingAccess.Write) != 0 && mapping.Size >= MinStackBytes && mapping.Start % RegionAlignment != 0;

    // Threads and arenas mapped later often land right next to the GC's reservation: the run stops at them (and their
    // guard or reserve), so only what lies between belongs to the GC.
    private static bool BelongsElsewhere(ReadOnlySpan<Mapping> mappings, int j)
    {
        if (!mappings[j].IsInaccessible)
        {
            return IsArenaHeap(mappings, j) || IsStack(mappings, j);
        }

        return (j + 1 < mappings.Length && IsStack(mappings, j + 1))
            || (j > 0 && !mappings[j - 1].IsInaccessible && IsArenaHeap(mappings, j - 1) && mappings[j - 1].End == mappings[j].Start);
    }

    // The GC reserves its whole range up front (with regions, 256 GiB or more without a hard limit) and commits parts of it:
    // the run of adjacent anonymous mappings around an address the GC gave out is that reservation.
    private static (int First, int Last) GcRange(ReadOnlySpan<Mapping> mappings, ulong anchor)
    {
        var at = -1;
        for (var i = 0; i < mappings.Length && anchor != 0; i++)
        {
            if (anchor >= mappings[i].Start && anchor < mappings[i].End)
            {
                at = mappings[i].Kind == MappingKind.Anonymous ? i : -1;
                break;
            }
        }

        if (at < 0)
        {
            return (0, -1);
        }

        var first = at;
        while (first > 0 && mappings[first - 1].Kind == MappingKind.Anonymous && mappings[first - 1].End == mappings[first].Start
            && !BelongsElsewhere(mappings, first - 1))
        {
            first--;
        }

        var last = at;
        while (last + 1 < mappings.Length && mappings[last + 1].Kind == MappingKind.Anonymous && mappings[last + 1].Start == mappings[last].End
            && !BelongsElsewhere(mappings, last + 1))
        {
            last++;
        }

        return (first, last);
    }
}
