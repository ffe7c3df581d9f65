using System.Runtime.InteropServices;
using BenchmarkDotNet.Attributes;
using LeakGuard.Investigation;

namespace LeakGuard.Benchmarks.Investigation;

/// <summary>
/// One native reading (an investigation takes two) on a process with about 2,000 mappings: the setup maps one
/// anonymous region and gives every other page another protection, so the kernel keeps each page a mapping of its own.
/// </summary>
[MemoryDiagnoser]
public partial class NativeReaderBenchmarks
{
    private const int TargetMappings = 2000;
    private const int ProtRead = 1;
    private const int ProtWrite = 2;
    private const int MapPrivate = 0x02;
    private const int MapAnonymous = 0x20;
    private static readonly DateTimeOffset Now = new(2026, 12, 3, 0, 0, 0, TimeSpan.Zero);

    private readonly NativeReader _reader = new();
    private readonly long[] _rss = new long[MappingClassifier.ClassCount];
    private readonly int[] _counts = new int[MappingClassifier.ClassCount];
    private nint _region;
    private nuint _regionBytes;

    [GlobalSetup]
    public unsafe void Setup()
    {
        var existing = MappingCount();
        var pages = Math.Max(0, TargetMappings - existing);
        _regionBytes = (nuint)(pages * Environment.SystemPageSize);
        if (pages > 0)
        {
            _region = Mmap(0, _regionBytes, ProtRead | ProtWrite, MapPrivate | MapAnonymous, -1, 0);
            var bytes = (byte*)_region;
            for (var p = 0; p < pages; p++)
            {
                bytes[(long)p * Environment.SystemPageSize] = 1; // resident, so the kernel counts its page
                if (p % 2 == 1 && Mprotect(_region + (p * Environment.SystemPageSize), (nuint)Environment.SystemPageSize, ProtRead) != 0)
                {
                    throw new InvalidOperationException("mprotect failed");
                }
            }
        }

        Console.WriteLine($"// mappings: {existing} before the setup, {MappingCount()} after");
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        if (_region != 0)
        {
            _ = Munmap(_region, _regionBytes);
        }
    }

    [Benchmark(Baseline = true)]
    public int Reading() => _reader.Take(Now).ThreadIds?.Length ?? -1;

    [Benchmark]
    public long Smaps_classified()
    {
        using var smaps = new FileStream("/proc/self/smaps", FileMode.Open, FileAccess.Read, FileShare.ReadWrite, bufferSize: 0);
        _reader.Classify(smaps, NativeReader.GcAnchor, _rss, _counts);
        return _rss[(int)MappingClass.GcHeap];
    }

    [Benchmark]
    public long Mallinfo2() => GlibcMalloc.TryRead()?.InUseBytes ?? -1;

    [Benchmark]
    public int Thread_ids() => ThreadIds.Read()?.Length ?? -1;

    private static int MappingCount() => File.ReadLines("/proc/self/maps").Count();

    [LibraryImport("libc", EntryPoint = "mmap")]
    private static partial nint Mmap(nint address, nuint length, int protection, int flags, int fd, nint offset);

    [LibraryImport("libc", EntryPoint = "mprotect")]
    private static partial int Mprotect(nint address, nuint length, int protection);

    [LibraryImport("libc", EntryPoint = "munmap")]
    private static partial int Munmap(nint address, nuint length);
}
