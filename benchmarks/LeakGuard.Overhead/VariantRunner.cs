using System.Diagnostics;
using OpenTelemetry;
using OpenTelemetry.Metrics;

namespace LeakGuard.Overhead;

/// <summary>Runs inside a child process: sets up one variant's monitoring, runs the workload, prints a RESULT line.</summary>
internal static class VariantRunner
{
    public static int Run(string variant, TimeSpan warmUp, TimeSpan measure, int exportIntervalMs)
    {
        IDisposable? leakGuard = null;
        MeterProvider? meterProvider = null;
        var withLeakGuard = variant is "B" or "D" or "R" or "T" or "U" or "V" or "W" or "X" or "Z" or "Q" or "E" or "F" or "G" or "H" or "P" or "idle-gc" or "idle-samples" or "idle-gc-every";
        var withOtel = variant is "C" or "D";

        if (withLeakGuard)
        {
            var options = new LeakGuardOptions();
            if (variant == "idle-samples")
            {
                options.SampleInterval = TimeSpan.FromMilliseconds(100);
            }

            if (variant is "P" or "idle-gc-every")
            {
                // The default before coalescing (2026-11-30): every collection observed.
                options.MaxGcSamplesPerSecond = 0;
            }

            if (variant == "H")
            {
                // Attribution: the detectors evaluate from the start (default warm-up 5 min: a child never gets there).
                options.WarmUp = TimeSpan.Zero;
            }

            if (variant is "E" or "F" or "G")
            {
                // Attribution variants: LeakGuard with one GC source replaced.
                // E: the GC source before 2026-11-29, the runtime's events through an in-process EventListener on every GC.
                // F: no GC source at all (a source that never fires): the sampling loop, probe and detectors only.
                // G: the default GcMemoryInfoSource without the handle-count windows.
                Func<LeakGuardOptions, Microsoft.Extensions.Logging.ILogger, LeakGuard.Sources.IGcEventSource> source = variant switch
                {
                    "E" => static (_, logger) => new LeakGuard.Sources.GcEventListener(logger),
                    "F" => static (_, _) => new SilentGcSource(),
                    _ => static (o, logger) => new LeakGuard.Sources.GcMemoryInfoSource(logger, maxSamplesPerSecond: o.MaxGcSamplesPerSecond),
                };
                var components = new LeakGuard.Hosting.MonitorComponents { CreateGcEventSource = source };
                var monitor = new LeakMonitor(options, components, TimeProvider.System, null, null, null);
                monitor.StartSampling(runLoop: true);
                leakGuard = monitor;
            }
            else
            {
                leakGuard = LeakMonitor.Start(options) as IDisposable;
            }
        }

        if (variant is "S" or "M")
        {
            // The per-collection wake-up alone, without LeakGuard: a re-arming finalizable sentinel (S), and the
            // same reading GC.GetGCMemoryInfo on every wake (M).
            Sentinel.Start(readInfo: variant == "M");
        }

        if (withOtel)
        {
            var builder = Sdk.CreateMeterProviderBuilder()
                .AddRuntimeInstrumentation()
                .AddMeter("System.Runtime")
                .AddReader(new PeriodicExportingMetricReader(new DiscardingExporter(), exportIntervalMs));
            if (withLeakGuard)
            {
                builder.AddLeakGuardInstrumentation();
            }

            meterProvider = builder.Build();
        }

        var result = variant.StartsWith("idle", StringComparison.Ordinal)
            ? RunIdle(variant, warmUp, measure)
            : RunWorkload(variant, warmUp, measure, RecordingOf(variant));

        meterProvider?.Dispose();
        leakGuard?.Dispose();
        Console.WriteLine(result.ToLine());
        return 0;
    }

    // R and T: an investigation's allocation recording open for the whole measured window (AllocationSampled, and the
    // AllocationTick fallback), on top of B. It starts after the warm-up, once its reader has started, as between
    // an investigation's two snapshots. U and V: the same, but a first recording ran during the warm-up, so the
    // measured one is a later investigation's (LeakGuard's recording code already compiled and tiered up). The first one
    // runs until 2 s before the warm-up ends (at least 3 s): under the sample budget the workload dries a session in
    // under half a second, and a first recording of 3 s (until 2026-12-06) held one short burst and never reopened a
    // session, so the measured one ran the reopening for the first time. (Measured 2026-12-06, the window's tiered JIT
    // stayed: the code each session runs a few times — connecting, parsing the session's metadata — takes dozens of
    // sessions to reach tier 1; docs/performance.md, "A sample budget".) W: as U
    // without the rundown that names the frames at the session's end (until 2026-12-05: without the method-load events
    // of the window), to attribute its cost. X: as U
    // without following the samples through the GCs (no GC and survival keywords), to attribute the survival ranking's cost.
    // Z: as X without stack walks (the session's requestStackwalk off), so X − Z is what walking and resolving the stacks costs.
    // Q: as U without the sample budget (one session open for the whole window, every sample taken: the recording before
    // 2026-12-05), so U − Q is what the budget saves.
    private static LeakGuard.Investigation.AllocationEventKind? RecordingOf(string variant) => variant switch
    {
        "R" or "U" or "W" or "X" or "Z" or "Q" => LeakGuard.Investigation.AllocationEventKind.Sampled,
        "T" or "V" => LeakGuard.Investigation.AllocationEventKind.Tick,
        _ => null,
    };

    /// <summary>The shipped sample budget, a new bucket per recording (as an investigation's).</summary>
    internal static LeakGuard.Investigation.SampleBudget ShippedBudget() =>
        new(LeakGuard.Investigation.AllocationRecording.SamplesPerSecond, LeakGuard.Investigation.AllocationRecording.SamplesPerSecond * LeakGuard.Investigation.AllocationRecording.BurstSeconds);

    /// <summary>
    /// Runs the workload for the warm-up. A first recording, when <paramref name="startFirst"/> gives one, stops 2 s
    /// before the warm-up ends (at least 3 s in), or with a shorter warm-up's end, and its figures go to stderr.
    /// </summary>
    internal static void WarmUp(Workload workload, TimeSpan warmUp, string label, Func<LeakGuard.Investigation.AllocationRecording?> startFirst)
    {
        var clock = Stopwatch.StartNew();
        var first = startFirst();
        var stopFirst = TimeSpan.FromSeconds(Math.Max(3, warmUp.TotalSeconds - 2));
        while (clock.Elapsed < warmUp)
        {
            workload.RunOne();
            if (first is not null && clock.Elapsed > stopFirst)
            {
                Stop(first);
                first = null;
            }
        }

        if (first is not null)
        {
            Stop(first);
        }

        void Stop(LeakGuard.Investigation.AllocationRecording recording)
        {
            var profile = recording.StopAsync(CancellationToken.None).GetAwaiter().GetResult();
            Console.Error.WriteLine($"{label}: the first recording, {profile.Samples} samples in {profile.Duration.TotalSeconds:0.0} s, {profile.Sessions} sessions open {profile.Recorded.TotalSeconds:0.0} s");
        }
    }

    private static ChildResult RunWorkload(string variant, TimeSpan warmUp, TimeSpan measure, LeakGuard.Investigation.AllocationEventKind? recordingKind)
    {
        var workload = new Workload();
        var named = variant != "W";
        var survival = variant is not ("X" or "Z");
        var stacks = variant != "Z";
        LeakGuard.Investigation.AllocationRecording Start(LeakGuard.Investigation.AllocationEventKind kind) =>
            LeakGuard.Investigation.AllocationRecording.StartAsync(kind, named, LeakGuard.Investigation.AllocationRecording.MaxSamples, survival, stacks, variant == "Q" ? new(double.PositiveInfinity, 1) : ShippedBudget(), CancellationToken.None).GetAwaiter().GetResult();
        WarmUp(workload, warmUp, variant, () => recordingKind is { } first && variant is "U" or "V" or "W" or "X" or "Z" or "Q" ? Start(first) : null);

        var recording = recordingKind is { } kind ? Start(kind) : null;
        var result = Measure(variant, measure, () =>
        {
            for (var i = 0; i < 64; i++)
            {
                workload.RunOne();
            }

            return 64;
        });
        if (recording is not null)
        {
            var profile = recording.StopAsync(CancellationToken.None).GetAwaiter().GetResult();
            Console.Error.WriteLine($"{variant}: {profile.Samples} samples, {profile.Stacks.Count} stacks in {profile.Duration.TotalSeconds:0.0} s, {profile.Sessions} sessions open {profile.Recorded.TotalSeconds:0.0} s");
        }

        return result;
    }

    // Forced gen0 collections on an otherwise idle process: nearly everything allocated is the monitor's.
    private static ChildResult RunIdle(string variant, TimeSpan warmUp, TimeSpan measure)
    {
        // One collection first, so the monitor's samples take their full path (before any collection the probe
        // has nothing to report and the step ends early).
        GC.Collect();
        Thread.Sleep(warmUp);
        var forceGcs = variant != "idle-samples";
        return Measure(variant, measure, () =>
        {
            if (forceGcs)
            {
                GC.Collect(0, GCCollectionMode.Forced, blocking: true);
            }

            Thread.Sleep(10);
            return 1;
        });
    }

    private static ChildResult Measure(string variant, TimeSpan measure, Func<int> step)
    {
        var process = Process.GetCurrentProcess();
        var cpu0 = process.TotalProcessorTime;
        var g0 = GC.CollectionCount(0);
        var g1 = GC.CollectionCount(1);
        var g2 = GC.CollectionCount(2);
        var allocated0 = GC.GetTotalAllocatedBytes(precise: true);
        var threads0 = ThreadCpu.Snapshot();
        long operations = 0;
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < measure)
        {
            operations += step();
        }

        var seconds = clock.Elapsed.TotalSeconds;
        var allocated = GC.GetTotalAllocatedBytes(precise: true) - allocated0;
        var threads = ThreadCpu.Format(ThreadCpu.Groups(threads0, ThreadCpu.Snapshot()));
        process.Refresh();
        var cpu = (process.TotalProcessorTime - cpu0).TotalSeconds;
        var collections0 = GC.CollectionCount(0) - g0;
        var collections1 = GC.CollectionCount(1) - g1;
        var collections2 = GC.CollectionCount(2) - g2;
        var heap = GC.GetTotalMemory(forceFullCollection: true);
        return new ChildResult(variant, seconds, operations, cpu, ReadPeakRss(), collections0, collections1, collections2, allocated, heap, threads);
    }

    private static long ReadPeakRss()
    {
        try
        {
            foreach (var line in File.ReadLines("/proc/self/status"))
            {
                if (line.StartsWith("VmHWM:", StringComparison.Ordinal))
                {
                    var kb = long.Parse(line.AsSpan(6).Trim().TrimEnd("kB").Trim(), System.Globalization.CultureInfo.InvariantCulture);
                    return kb * 1024;
                }
            }
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }

        return -1;
    }

    /// <summary>A GC source that never fires.</summary>
    private sealed class SilentGcSource : LeakGuard.Sources.IGcEventSource
    {
        public event Action<LeakGuard.Sources.GcSample>? GcCompleted
        {
            add { }
            remove { }
        }

        public void Dispose()
        {
        }
    }

    /// <summary>Finalized by every collection; re-arms itself.</summary>
    private sealed class Sentinel
    {
        private static bool s_readInfo;
        private static long s_index;

        public static void Start(bool readInfo)
        {
            s_readInfo = readInfo;
            _ = new Sentinel();
        }

        ~Sentinel()
        {
            if (s_readInfo)
            {
                s_index += GC.GetGCMemoryInfo(GCKind.Any).Index;
            }

            _ = new Sentinel();
        }
    }
}
