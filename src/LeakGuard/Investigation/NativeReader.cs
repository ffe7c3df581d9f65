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
    private readonly bool _linux;
    private readonly string? _mallocMissing;
    private readonly Func<MallocStatistics?> _readMalloc;

    /// <summary>Initializes a new instance of the <see cref="NativeReader"/> class for this process: Linux's <c>/proc</c>, glibc's <c>mallinfo2</c> where present.</summary>
    public NativeReader()
        : this(OperatingSystem.IsLinux(), GlibcMalloc.Missing, GlibcMalloc.TryRead)
    {
    }

    /// <summary>Initializes a new instance of the <see cref="NativeReader"/> class with the platform's answers given (tests stand in for musl, macOS and Windows).</summary>
    /// <param name="linux">Whether <c>/proc/self</c> is there to read (Linux).</param>
    /// <param name="mallocMissing">Why there are no malloc statistics, or <see langword="null"/> when <paramref name="readMalloc"/> reads them.</param>
    /// <param name="readMalloc">Reads malloc's statistics (called only when <paramref name="mallocMissing"/> is <see langword="null"/>).</param>
    internal NativeReader(bool linux, string? mallocMissing, Func<MallocStatistics?> readMalloc)
    {
        _linux = linux;
        _mallocMissing = mallocMissing;
        _readMalloc = readMalloc;
    }

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
        var malloc = _mallocMissing is null ? _readMalloc() : null;
        var threads = _linux ? ThreadIds.Read() : null;
        var names = before?.ThreadIds is { } old && threads is not null ? NamesOfNew(old, threads) : [];
        return new NativeReading
        {
            At = at,
            Milliseconds = clock.Elapsed.TotalMilliseconds,
            Missing = _linux ? null : $"native readings need Linux's /proc; this process runs on {RuntimeInformation.OSDescription}",
            MappingsMissing = mappingsMissing,
            RssBytes = mappingsMissing is null ? rss : [],
            Mappings = mappingsMissing is null ? counts : [],
            Malloc = malloc,
            MallocMissing = malloc is null ? _mallocMissing ?? "malloc statistics could not be read" : null,
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
        if (!_linux)
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
