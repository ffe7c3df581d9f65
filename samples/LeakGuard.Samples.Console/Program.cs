using System.Globalization;
using LeakGuard.Buffering;
using LeakGuard.Sources;

// Starts LeakGuard's two sources directly (no hosting) and prints one line per second while the
// program churns garbage and slowly retains memory — a small leak you can watch grow.
//   dotnet run --project samples/LeakGuard.Samples.Console -c Release [-- --seconds 10]
var seconds = ParseSeconds(args);
using var stop = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    e.Cancel = true;
    stop.Cancel();
};
if (seconds > 0)
{
    stop.CancelAfter(TimeSpan.FromSeconds(seconds));
}

var time = TimeProvider.System;
var gcs = new SampleRing<GcSample>(256);
using var listener = new GcEventListener();
listener.GcCompleted += sample => gcs.Write(sample);
using var probe = new MemoryProbe(listener);

var leak = new List<byte[]>();
var churn = Task.Run(() => Churn(leak, stop.Token));

Console.WriteLine($"LeakGuard console sample — cgroup: {probe.CgroupVersion}; Ctrl+C stops{(seconds > 0 ? $", or after {seconds} s" : string.Empty)}.");
Console.WriteLine("time      heap MB   RSS MB  native MB  gen2 MB   LOH MB threads  limit MB  GCs  last GC pause");
using var timer = new PeriodicTimer(TimeSpan.FromSeconds(1), time);
try
{
    while (await timer.WaitForNextTickAsync(stop.Token))
    {
        if (!probe.TryRead(time.GetUtcNow(), out var m))
        {
            Console.WriteLine("(no collection yet)");
            continue;
        }

        var lastGc = gcs.TryReadLatest(out var gc)
            ? $"{gc.PauseDuration.TotalMilliseconds:F2} ms (gen{gc.Generation} #{gc.Index})"
            : "-";
        var native = m.ResidentSetBytes >= 0 ? m.ResidentSetBytes - m.CommittedBytes : -1;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{m.Timestamp:HH:mm:ss} {Mb(m.ManagedHeapBytes),9} {Mb(m.ResidentSetBytes),8} {Mb(native),10} {Mb(m.Gen2SizeBytes),8} {Mb(m.LohSizeBytes),8} {m.ThreadCount,7} {(m.ContainerLimitBytes < 0 ? "none" : Mb(m.ContainerLimitBytes)),9} {gcs.TotalWritten,4}  {lastGc}"));
    }
}
catch (OperationCanceledException)
{
}

await churn.ConfigureAwait(false);
Console.WriteLine($"Stopped: {listener.CompletedCount} collections seen, {listener.DroppedCount} incomplete, {leak.Count} retained buffers.");
return 0;

static string Mb(long bytes) => bytes < 0 ? "n/a" : (bytes / 1048576.0).ToString("F1", CultureInfo.InvariantCulture);

static int ParseSeconds(string[] args)
{
    var i = Array.IndexOf(args, "--seconds");
    return i >= 0 && i + 1 < args.Length && int.TryParse(args[i + 1], CultureInfo.InvariantCulture, out var s) && s > 0 ? s : 0;
}

// Garbage (short-lived 1–8 KB arrays and an occasional large one) plus ~1 MB a second kept forever.
static void Churn(List<byte[]> leak, CancellationToken stop)
{
    var random = new Random(42);
    var kept = 0L;
    var started = Environment.TickCount64;
    while (!stop.IsCancellationRequested)
    {
        for (var i = 0; i < 2_000; i++)
        {
            var garbage = new byte[random.Next(1024, 8192)];
            garbage[0] = 1;
        }

        if (random.Next(50) == 0)
        {
            _ = new byte[200_000];
        }

        var due = (Environment.TickCount64 - started) * 1024; // ~1 MB per second
        while (kept < due)
        {
            leak.Add(new byte[16 * 1024]);
            kept += 16 * 1024;
        }

        Thread.Sleep(10);
    }
}
