using System.Diagnostics;
using System.Diagnostics.Tracing;
using System.Globalization;
using LeakGuard.Sources;
using Microsoft.Diagnostics.NETCore.Client;
using Microsoft.Diagnostics.Tracing;

namespace LeakGuard.Overhead;

/// <summary>
/// Issue 8's choice of GC source, reproducible: in an otherwise idle child process per candidate, N induced gen0
/// collections (1 ms apart), and what each candidate allocates and costs per collection:
/// none; an in-process EventListener (GC keyword, Informational; also counts the events per collection by id);
/// an EventPipe session to the process itself read by TraceEvent (no handler attached: parsing only);
/// <see cref="GcMemoryInfoSource"/> without and with its handle-count windows.
/// </summary>
internal static class GcSourceComparison
{
    private static readonly string[] Candidates = ["none", "sentinel", "sentinel+info", "listener", "eventpipe", "gcinfo", "gcinfo+handles"];

    public static int Orchestrate(int collections, int repetitions)
    {
        var c = CultureInfo.InvariantCulture;
        var rows = Candidates.ToDictionary(k => k, _ => new List<(double Bytes, double CpuUs)>());
        string? events = null;
        for (var r = 0; r < repetitions; r++)
        {
            foreach (var candidate in Candidates)
            {
                var self = Environment.ProcessPath ?? "dotnet";
                var start = new ProcessStartInfo(self) { RedirectStandardOutput = true, UseShellExecute = false };
                if (Path.GetFileNameWithoutExtension(self) == "dotnet")
                {
                    start.ArgumentList.Add(typeof(GcSourceComparison).Assembly.Location);
                }

                foreach (var arg in new[] { "--gc-source", candidate, "--collections", collections.ToString(c) })
                {
                    start.ArgumentList.Add(arg);
                }

                using var process = Process.Start(start) ?? throw new InvalidOperationException("Could not start the child process.");
                var output = process.StandardOutput.ReadToEnd();
                process.WaitForExit();
                var result = output.Split('\n').First(l => l.StartsWith("GCSOURCE;", StringComparison.Ordinal)).Split(';');
                rows[candidate].Add((double.Parse(result[2], c), double.Parse(result[3], c)));
                if (candidate == "listener")
                {
                    events ??= string.Join('\n', output.Split('\n').Where(l => l.StartsWith("| ", StringComparison.Ordinal)));
                }

                Console.Error.WriteLine($"repetition {r + 1}/{repetitions} {candidate}: {result[2]} B, {result[3]} µs CPU per GC");
            }
        }

        Console.WriteLine(string.Create(c, $"GC sources: {collections} induced gen0 collections 1 ms apart in an idle process per candidate, {repetitions} repetitions (medians). Load average: {File.ReadAllText("/proc/loadavg").Trim()}."));
        Console.WriteLine();
        Console.WriteLine("| candidate | allocated per GC (process) | process CPU per GC | CPU per GC over none |");
        Console.WriteLine("| --- | ---: | ---: | ---: |");
        var none = Median(rows["none"].Select(x => x.CpuUs));
        foreach (var candidate in Candidates)
        {
            var bytes = Median(rows[candidate].Select(x => x.Bytes));
            var cpu = Median(rows[candidate].Select(x => x.CpuUs));
            Console.WriteLine(string.Create(c, $"| {candidate} | {bytes:N0} B | {cpu:0.0} µs | {cpu - none:+0.0;-0.0} µs |"));
        }

        Console.WriteLine();
        Console.WriteLine("Events per collection delivered to an in-process EventListener (GC keyword, Informational):");
        Console.WriteLine();
        Console.WriteLine("| event id | event | per GC |");
        Console.WriteLine("| ---: | --- | ---: |");
        Console.WriteLine(events);
        return 0;
    }

    public static int RunChild(string candidate, int collections)
    {
        IDisposable? source = null;
        Counter? counter = null;
        switch (candidate)
        {
            case "listener":
                counter = new Counter();
                source = counter;
                break;
            case "eventpipe":
                source = new SelfSession();
                break;
            case "sentinel":
            case "sentinel+info":
                // The wake-up alone: a re-arming finalizable sentinel, without and with one GC.GetGCMemoryInfo per wake.
                source = BareSentinel.Start(readInfo: candidate == "sentinel+info");
                break;
            case "gcinfo":
                // Every collection (no coalescing): this compares the cost of observing one collection.
                source = new GcMemoryInfoSource(maxSamplesPerSecond: 0);
                break;
            case "gcinfo+handles":
                source = new GcMemoryInfoSource(handles: new GcHandleCountRefresher(new GcEventListener()), maxSamplesPerSecond: 0);
                break;
            default:
                break;
        }

        for (var i = 0; i < 200; i++)
        {
            GC.Collect(0);
            Thread.Sleep(1);
        }

        Thread.Sleep(500);
        counter?.Reset();
        var process = Process.GetCurrentProcess();
        var cpu0 = process.TotalProcessorTime;
        var allocated0 = GC.GetTotalAllocatedBytes(precise: true);
        var gc0 = GC.CollectionCount(0);
        for (var i = 0; i < collections; i++)
        {
            GC.Collect(0);
            Thread.Sleep(1);
        }

        Thread.Sleep(500);
        var allocated = GC.GetTotalAllocatedBytes(precise: true) - allocated0;
        process.Refresh();
        var cpu = (process.TotalProcessorTime - cpu0).TotalMicroseconds;
        var gcs = Math.Max(1, GC.CollectionCount(0) - gc0);
        var c = CultureInfo.InvariantCulture;
        Console.WriteLine(string.Create(c, $"GCSOURCE;{candidate};{allocated / (double)gcs:0};{cpu / gcs:0.0}"));
        if (counter is not null)
        {
            foreach (var line in counter.Describe(gcs))
            {
                Console.WriteLine(line);
            }
        }

        source?.Dispose();
        return 0;
    }

    /// <summary>
    /// The cost of one handle-count window as <see cref="GcHandleCountRefresher"/> opens it: switch the listener on,
    /// one induced collection, wait for its sample, switch off. Process CPU per window after a few warm-up windows
    /// (the first one compiles the event-decoding code), against the same collection without a window.
    /// </summary>
    public static int HandleWindows(int windows)
    {
        var c = CultureInfo.InvariantCulture;
        using var listener = new GcEventListener(listening: false);
        using var seen = new SemaphoreSlim(0);
        listener.GcCompleted += _ => seen.Release();
        double Run(int count, bool window)
        {
            var process = Process.GetCurrentProcess();
            var cpu0 = process.TotalProcessorTime;
            for (var i = 0; i < count; i++)
            {
                if (window)
                {
                    listener.SetListening(true);
                }

                GC.Collect(0);
                if (window)
                {
                    if (!seen.Wait(TimeSpan.FromSeconds(5)))
                    {
                        throw new TimeoutException("No GC sample within 5 s of an open window.");
                    }

                    listener.SetListening(false);
                }

                Thread.Sleep(20);
            }

            process.Refresh();
            return ((process.TotalProcessorTime - cpu0).TotalMicroseconds) / count;
        }

        Run(5, window: true);
        var without = Run(windows, window: false);
        var with = Run(windows, window: true);
        Console.WriteLine(string.Create(c, $"Handle-count windows: {windows} windows (switch on, one induced gen0 collection, its sample, switch off, 20 ms apart) after 5 warm-up windows; process CPU per window {with:0} µs, per collection without a window {without:0} µs: a window costs {with - without:0} µs."));
        return 0;
    }

    private static double Median(IEnumerable<double> values)
    {
        var sorted = values.OrderBy(v => v).ToArray();
        return sorted.Length == 0 ? double.NaN : sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[(sorted.Length / 2) - 1] + sorted[sorted.Length / 2]) / 2;
    }

    /// <summary>Counts events by id into a preallocated array (no allocation of its own per event).</summary>
    private sealed class Counter : EventListener
    {
        private readonly long[] _counts = new long[512];
        private readonly string?[] _names = new string?[512];

        public void Reset() => Array.Clear(_counts);

        public IEnumerable<string> Describe(int gcs)
        {
            for (var id = 0; id < _counts.Length; id++)
            {
                if (_counts[id] > 0)
                {
                    yield return string.Create(CultureInfo.InvariantCulture, $"| {id} | {_names[id]} | {_counts[id] / (double)gcs:0.00} |");
                }
            }
        }

        protected override void OnEventSourceCreated(EventSource eventSource)
        {
            if (eventSource.Name == "Microsoft-Windows-DotNETRuntime")
            {
                EnableEvents(eventSource, EventLevel.Informational, (EventKeywords)1);
            }
        }

        protected override void OnEventWritten(EventWrittenEventArgs eventData)
        {
            if (_counts is null || eventData.EventId is < 0 or >= 512)
            {
                return;
            }

            _counts[eventData.EventId]++;
            _names[eventData.EventId] ??= eventData.EventName;
        }
    }

    /// <summary>A DiagnosticsClient session to the own process, GC keyword at Informational, parsed by TraceEvent on a thread.</summary>
    private sealed class SelfSession : IDisposable
    {
        private readonly EventPipeSession _session;
        private readonly Thread _reader;

        public SelfSession()
        {
            var client = new DiagnosticsClient(Environment.ProcessId);
            _session = client.StartEventPipeSession([new EventPipeProvider("Microsoft-Windows-DotNETRuntime", EventLevel.Informational, 1)], requestRundown: false, circularBufferMB: 4);
            var source = new EventPipeEventSource(_session.EventStream);
            _reader = new Thread(() =>
            {
                try
                {
                    source.Process();
                }
                catch (Exception e) when (e is IOException or ObjectDisposedException)
                {
                }
            })
            { IsBackground = true };
            _reader.Start();
        }

        public void Dispose()
        {
            _session.Stop();
            _reader.Join(5000);
            _session.Dispose();
        }
    }

    /// <summary>Finalized by every collection; re-arms itself until disposed.</summary>
    private sealed class BareSentinel
    {
        private static bool s_readInfo;
        private static volatile bool s_stopped;
        private static long s_index;

        public static IDisposable Start(bool readInfo)
        {
            s_readInfo = readInfo;
            _ = new BareSentinel();
            return new Stopper();
        }

        ~BareSentinel()
        {
            if (s_stopped)
            {
                return;
            }

            if (s_readInfo)
            {
                s_index += GC.GetGCMemoryInfo(GCKind.Any).Index;
            }

            _ = new BareSentinel();
        }

        private sealed class Stopper : IDisposable
        {
            public void Dispose() => s_stopped = true;
        }
    }
}
