using System.Globalization;
using LeakGuard.Investigation;

namespace LeakGuard.SnapshotTarget;

/// <summary>
/// Measures a snapshot of a heap of N live objects: pause (from the GC's suspend/restart events) against a bare
/// session that reads and discards the same events and against a plain full GC, wall time, collector memory.
/// </summary>
internal static class Measure
{
    private sealed class Item
    {
        public Item? Next;
        public byte[]? Payload;
    }

    public static async Task<int> RunAsync(long objects, int repeats)
    {
        // Half Items (two references each), half byte[16] payloads: ~1 reference per object, as in real heaps.
        var items = new Item[objects / 2];
        Item? previous = null;
        for (var i = 0; i < items.Length; i++)
        {
            previous = items[i] = new Item { Next = previous, Payload = new byte[16] };
        }

        GC.Collect();
        var live = GC.GetGCMemoryInfo().HeapSizeBytes;
        var buffer = SnapshotBudget.BufferMegabytes(objects + 50_000);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"heap {live / (1024 * 1024)} MB, {objects} objects requested, buffer {buffer} MB"));

        var snapshotter = new HeapSnapshotter(TimeProvider.System, TimeSpan.FromMinutes(5));
        var warm = await snapshotter.TakeAsync(buffer, CancellationToken.None);
        warm = null;
        BareSession.Run(buffer);

        var fullGc = new List<double>();
        var bare = new List<double>();
        var bareWall = new List<double>();
        var ours = new List<double>();
        var wall = new List<double>();
        var retained = new List<double>();
        var allocated = new List<double>();
        var peak = new List<double>();
        var cpu = new List<double>();
        var peakRss = new List<double>();
        var bareCpu = new List<double>();
        long nodes = 0, edges = 0;
        for (var r = 0; r < repeats; r++)
        {
            var before = GC.GetTotalPauseDuration();
            GC.Collect(2, GCCollectionMode.Forced, blocking: true, compacting: true);
            fullGc.Add((GC.GetTotalPauseDuration() - before).TotalMilliseconds);

            var bareCpuBefore = Environment.CpuUsage.TotalTime;
            var (barePause, bareTime) = BareSession.Run(buffer);
            bareCpu.Add((Environment.CpuUsage.TotalTime - bareCpuBefore).TotalMilliseconds);
            bare.Add(barePause.TotalMilliseconds);
            bareWall.Add(bareTime.TotalMilliseconds);

            GC.Collect();
            var baseline = GC.GetTotalMemory(forceFullCollection: true);
            var allocatedBefore = GC.GetTotalAllocatedBytes(precise: true);
            var cpuBefore = Environment.CpuUsage.TotalTime;
            var rssBefore = PeakResident.Reset();
            var snapshot = await snapshotter.TakeAsync(buffer, CancellationToken.None);
            peakRss.Add(PeakResident.Read() - rssBefore);
            cpu.Add((Environment.CpuUsage.TotalTime - cpuBefore).TotalMilliseconds);
            allocated.Add(GC.GetTotalAllocatedBytes(precise: true) - allocatedBefore);
            retained.Add(GC.GetTotalMemory(forceFullCollection: true) - baseline);
            ours.Add(snapshot.Pause.TotalMilliseconds);
            wall.Add(snapshot.Duration.TotalMilliseconds);
            peak.Add(snapshot.BuilderPeakBytes);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  run {r}: read {snapshot.ReadTime.TotalMilliseconds:0} ms, stop {snapshot.StopTime.TotalMilliseconds:0} ms, build {snapshot.BuildTime.TotalMilliseconds:0} ms, graph {snapshot.Graph.ApproximateBytes / (double)snapshot.Graph.NodeCount:0.0} B/object"));
            nodes = snapshot.Graph.NodeCount;
            edges = snapshot.Graph.EdgeCount;
            snapshot = null;
        }

        static double Median(List<double> values) => values.Order().ElementAt(values.Count / 2);
        var n = (double)nodes;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"""
            live objects in snapshot: {nodes}, references: {edges} ({edges / n:0.00} per object)
            plain full GC pause:        median {Median(fullGc):0.0} ms   [{string.Join(", ", fullGc.Select(v => v.ToString("0.0", CultureInfo.InvariantCulture)))}]
            bare session pause:         median {Median(bare):0.0} ms   [{string.Join(", ", bare.Select(v => v.ToString("0.0", CultureInfo.InvariantCulture)))}]  wall {Median(bareWall):0} ms
            LeakGuard snapshot pause:   median {Median(ours):0.0} ms   [{string.Join(", ", ours.Select(v => v.ToString("0.0", CultureInfo.InvariantCulture)))}]
            pause / bare session:       {Median(ours) / Median(bare):0.00}
            pause / plain full GC:      {Median(ours) / Median(fullGc):0.0}x
            LeakGuard wall:             median {Median(wall):0} ms = {Median(wall) / (n / 1e6):0} ms per million objects
            process CPU, bare session:  median {Median(bareCpu):0} ms; LeakGuard snapshot: median {Median(cpu):0} ms = {Median(cpu) / (n / 1e6):0} ms per million objects
            builder peak (arrays):      {Median(peak) / n:0.0} B/object
            managed bytes allocated:    {Median(allocated) / n:0.0} B/object (garbage included)
            peak RSS over before:       median {Median(peakRss) / n:0.0} B/object = {Median(peakRss) / (1024 * 1024):0} MB   [{string.Join(", ", peakRss.Select(v => (v / n).ToString("0.0", CultureInfo.InvariantCulture)))}] B/object
            """));
        GC.KeepAlive(items);
        return 0;
    }
}
