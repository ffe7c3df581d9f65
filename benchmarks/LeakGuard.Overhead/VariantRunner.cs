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
        var withLeakGuard = variant is "B" or "D" or "E" or "idle-gc" or "idle-samples";
        var withOtel = variant is "C" or "D";

        if (withLeakGuard)
        {
            var options = new LeakGuardOptions();
            if (variant == "idle-samples")
            {
                options.SampleInterval = TimeSpan.FromMilliseconds(100);
            }

            if (variant == "E")
            {
                // The GC source before 2026-11-29: the runtime's events through an in-process EventListener on every GC.
                var components = new LeakGuard.Hosting.MonitorComponents { CreateGcEventSource = static logger => new LeakGuard.Sources.GcEventListener(logger) };
                var monitor = new LeakMonitor(options, components, TimeProvider.System, null, null, null);
                monitor.StartSampling(runLoop: true);
                leakGuard = monitor;
            }
            else
            {
                leakGuard = LeakMonitor.Start(options) as IDisposable;
            }
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
            : RunWorkload(variant, warmUp, measure);

        meterProvider?.Dispose();
        leakGuard?.Dispose();
        Console.WriteLine(result.ToLine());
        return 0;
    }

    private static ChildResult RunWorkload(string variant, TimeSpan warmUp, TimeSpan measure)
    {
        var workload = new Workload();
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < warmUp)
        {
            workload.RunOne();
        }

        return Measure(variant, measure, () =>
        {
            for (var i = 0; i < 64; i++)
            {
                workload.RunOne();
            }

            return 64;
        });
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
        long operations = 0;
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < measure)
        {
            operations += step();
        }

        var seconds = clock.Elapsed.TotalSeconds;
        var allocated = GC.GetTotalAllocatedBytes(precise: true) - allocated0;
        process.Refresh();
        var cpu = (process.TotalProcessorTime - cpu0).TotalSeconds;
        var collections0 = GC.CollectionCount(0) - g0;
        var collections1 = GC.CollectionCount(1) - g1;
        var collections2 = GC.CollectionCount(2) - g2;
        var heap = GC.GetTotalMemory(forceFullCollection: true);
        return new ChildResult(variant, seconds, operations, cpu, ReadPeakRss(), collections0, collections1, collections2, allocated, heap);
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
}
