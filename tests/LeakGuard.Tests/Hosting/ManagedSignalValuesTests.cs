using System.Runtime;
using LeakGuard.Hosting;
using LeakGuard.Sources;
using NUnit.Framework;

namespace LeakGuard.Tests.Hosting;

public sealed class ManagedSignalValuesTests
{
    private const long MiB = 1024 * 1024;

    [Test]
    public void The_managed_signals_are_sizes_without_the_gc_s_free_space()
    {
        var sample = new MemorySample
        {
            GcIndex = 9,
            ManagedHeapBytes = 90 * MiB,
            FragmentedBytes = 12 * MiB,
            Gen2SizeBytes = 60 * MiB,
            Gen2FragmentedBytes = 8 * MiB,
            LohSizeBytes = 5 * MiB,
            LohFragmentedBytes = 4 * MiB,
        };

        var readings = Readings(sample);

        Assert.Multiple(() =>
        {
            Assert.That(readings[LeakSignals.ManagedHeap], Is.EqualTo(78 * MiB));
            Assert.That(readings[LeakSignals.Gen2], Is.EqualTo(52 * MiB));
            Assert.That(readings[LeakSignals.Loh], Is.EqualTo(1 * MiB));
        });
    }

    [Test]
    public void Unknown_sizes_stay_unknown_and_free_space_never_makes_a_value_negative()
    {
        var readings = Readings(new MemorySample { GcIndex = 3, ManagedHeapBytes = 10 * MiB, FragmentedBytes = 11 * MiB, Gen2SizeBytes = -1, LohSizeBytes = 2 * MiB });

        Assert.Multiple(() =>
        {
            Assert.That(readings[LeakSignals.ManagedHeap], Is.Zero);
            Assert.That(readings.ContainsKey(LeakSignals.Gen2), Is.False, "-1 is no reading");
            Assert.That(readings[LeakSignals.Loh], Is.EqualTo(2 * MiB), "no free space known: the size");
        });
    }

    /// <summary>
    /// What the leak zoo's blocked-threads run showed (loh Leaking at 39.7 s): large arrays that die in a non-compacting
    /// full collection leave free space that the large-object heap's size still counts, so judged by size the heap
    /// stepped up when the arrays died. Judged without the free space it is back where it was.
    /// </summary>
    [Test]
    public void Large_arrays_that_died_in_a_full_collection_no_longer_count_on_the_loh_signal()
    {
        GCSettings.LargeObjectHeapCompactionMode = GCLargeObjectHeapCompactionMode.CompactOnce;
        GC.Collect(2, GCCollectionMode.Forced, blocking: true, compacting: true);
        using var probe = new MemoryProbe();
        var before = Loh(probe, 0);

        var held = HoldLargeArrays(probe);
        GC.Collect(2, GCCollectionMode.Forced, blocking: true, compacting: false);
        var after = Loh(probe, 2);
        var survivors = s_survivors.Sum(a => (long)a.Length);
        s_survivors.Clear();

        Assert.Multiple(() =>
        {
            Assert.That(held, Is.GreaterThanOrEqualTo(before + (3.5 * MiB) + survivors), "the arrays are counted while they live");
            Assert.That(after, Is.LessThanOrEqualTo(before + survivors + (0.5 * MiB)), "the free space they left is not the application's");
        });
    }

    // Not inlined: the arrays' only reference dies with this frame (unoptimized code keeps a local alive to its method's end).
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.NoInlining)]
    private static double HoldLargeArrays(MemoryProbe probe)
    {
        var arrays = new List<byte[]>();
        for (var i = 0; i < 40; i++)
        {
            arrays.Add(new byte[100_000]);
            s_survivors.Add(i % 8 == 7 ? new byte[85_000] : []); // a few survivors keep the region (an empty one is released)
        }

        GC.Collect(2, GCCollectionMode.Forced, blocking: true);
        var held = Loh(probe, 1);
        GC.KeepAlive(arrays);
        return held;
    }

    private static readonly List<byte[]> s_survivors = [];

    private static double Loh(MemoryProbe probe, int second)
    {
        Assert.That(probe.TryRead(new DateTimeOffset(2026, 12, 5, 14, 0, second, TimeSpan.Zero), out var sample), Is.True);
        return Readings(sample)[LeakSignals.Loh];
    }

    private static Dictionary<string, double> Readings(in MemorySample sample)
    {
        var buffer = new SignalReading[SignalValues.MaxReadings];
        var n = SignalValues.Compute(sample, null, -1, buffer);
        return buffer.Take(n).ToDictionary(r => r.Signal, r => r.Value);
    }
}
