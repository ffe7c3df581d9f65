using System.Diagnostics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace LeakGuard.Investigation;

/// <summary>
/// Takes <see cref="NativeReading"/>s of the own process. Only an investigation reads (twice); nothing is read otherwise.
/// Never throws: what cannot be read is missing, with the reason. Not thread-safe (one investigation at a time).
/// </summary>
internal sealed class NativeReader
{
    private const string SmapsPath = "/proc/self/smaps";

    // The names of at most this many new threads are read (one small file each); the rest count under no name.
    private const int MaxNamesRead = 1000;
    private const int MaxNameGroups = 10;

    // An object the GC placed on the pinned-object heap: its address lies inside the GC's reserved range.
    private static readonly byte[] s_gcAnchor = GC.AllocateUninitializedArray<byte>(1, pinned: true);

    private readonly SmapsParser _parser = new();

    /// <summary>Gets the address of an object on the GC's heap (stable: the array is pinned).</summary>
    internal static unsafe ulong GcAnchor => (ulong)Unsafe.AsPointer(ref MemoryMarshal.GetArrayDataReference(s_gcAnchor));

    /// <summary>Reads now.</summary>
    /// <param name="at">The time to stamp it with.</param>
    /// <param name="before">The earlier reading whose threads count as old, or <see langword="null"/>.</param>
    /// <returns>The reading.</returns>
    public NativeReading Take(DateTimeOffset at, NativeReading? before = null)
    {
        var clock = Stopwatch.StartNew();
        var rss = new long[MappingClassifier.ClassCount];
        var counts = new int[MappingClassifier.ClassCount];
        var mappingsMissing = ReadMappings(rss, counts);
        var malloc = GlibcMalloc.TryRead();
        var threads = OperatingSystem.IsLinux() ? ThreadIds.Read() : null;
        var names = before?.ThreadIds is { } old && threads is not null ? NamesOfNew(old, threads) : [];
        return new NativeReading
        {
            At = at,
            Milliseconds = clock.Elapsed.TotalMilliseconds,
            MappingsMissing = mappingsMissing,
            RssBytes = mappingsMissing is null ? rss : [],
            Mappings = mappingsMissing is null ? counts : [],
            Malloc = malloc,
            ThreadIds = threads,
            NewThreadNames = names,
        };
    }

    /// <summary>Parses a smaps text and classifies it (tests and the benchmark feed their own).</summary>
    /// <param name="smaps">The text.</param>
    /// <param name="gcAnchor">An address inside the GC's range, or 0.</param>
    /// <param name="rss">Receives the resident bytes per class.</param>
    /// <param name="counts">Receives the mappings per class.</param>
    internal void Classify(Stream smaps, ulong gcAnchor, Span<long> rss, Span<int> counts)
    {
        _parser.Parse(smaps);
        MappingClassifier.Classify(_parser.Mappings, gcAnchor, rss, counts);
    }

    private string? ReadMappings(long[] rss, int[] counts)
    {
        if (!OperatingSystem.IsLinux())
        {
            return $"mapping classes come from Linux's /proc/self/smaps; this process runs on {RuntimeInformation.OSDescription}";
        }

        try
        {
            // No read-ahead buffer of FileStream's own: the parser reads in 64 KiB pieces into its buffer.
            using var smaps = new FileStream(SmapsPath, FileMode.Open, FileAccess.Read, FileShare.ReadWrite, bufferSize: 0);
            Classify(smaps, GcAnchor, rss, counts);
            return null;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return $"{SmapsPath} could not be read: {ex.Message}";
        }
    }

    private static List<(string Name, int Count)> NamesOfNew(int[] old, int[] now)
    {
        var byName = new Dictionary<string, int>(StringComparer.Ordinal);
        var read = 0;
        foreach (var id in now)
        {
            if (Array.BinarySearch(old, id) >= 0)
            {
                continue;
            }

            var name = read++ < MaxNamesRead ? ThreadIds.NameOf(id) ?? "(ended)" : "(name not read)";
            byName[name] = byName.GetValueOrDefault(name) + 1;
        }

        return [.. byName.OrderByDescending(p => p.Value).ThenBy(p => p.Key, StringComparer.Ordinal).Take(MaxNameGroups).Select(p => (p.Key, p.Value))];
    }
}
