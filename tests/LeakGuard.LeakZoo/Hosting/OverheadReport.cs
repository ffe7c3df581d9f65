using System.Diagnostics;
using LeakGuard.LeakZoo.Telemetry;
using Microsoft.Extensions.DependencyInjection;

namespace LeakGuard.LeakZoo.Hosting;

/// <summary>
/// What the process spent while LeakGuard watched it, printed on exit: process CPU, GC counts and pause,
/// CPU per thread name (LeakGuard's own threads show up by name), and LeakGuard's sample counts and metrics.
/// </summary>
internal static class OverheadReport
{
    private const int MaxSamplesCounted = 8192;

    /// <summary>Reads what must be read while the monitor still runs.</summary>
    public static Dictionary<string, object?> Capture(IServiceProvider services, LeakGuardMeterRecorder meters)
    {
        var payload = new Dictionary<string, object?>();
        var monitor = services.GetService<ILeakMonitor>();
        if (monitor is not null)
        {
            payload["leakGuardRunning"] = monitor.IsRunning;
            payload["memorySamplesHeld"] = monitor.GetRecentMemorySamples(MaxSamplesCounted).Count;
            payload["gcSamplesHeld"] = monitor.GetRecentGcSamples(MaxSamplesCounted).Count;
            payload["reports"] = monitor.Reports.Count;
            payload["verdicts"] = monitor.Verdicts.ToDictionary(p => p.Key, p => p.Value.State.ToString(), StringComparer.Ordinal);
        }

        payload["metrics"] = meters.Collect();
        return payload;
    }

    public static void Write(Dictionary<string, object?> payload)
    {
        using var process = Process.GetCurrentProcess();
        payload["cpuSeconds"] = Math.Round(process.TotalProcessorTime.TotalSeconds, 3);
        payload["gen0"] = GC.CollectionCount(0);
        payload["gen1"] = GC.CollectionCount(1);
        payload["gen2"] = GC.CollectionCount(2);
        payload["gcPauseSeconds"] = Math.Round(GC.GetTotalPauseDuration().TotalSeconds, 3);
        payload["allocatedBytes"] = GC.GetTotalAllocatedBytes();
        payload["peakRss"] = process.PeakWorkingSet64;
        payload["threadCpuSeconds"] = ProcessStats.CpuSecondsByThreadName()
            .Where(p => p.Value > 0)
            .OrderByDescending(p => p.Value)
            .Take(12)
            .ToDictionary(p => p.Key, p => Math.Round(p.Value, 2), StringComparer.Ordinal);
        ZooOutput.Write(ZooOutput.Overhead, payload);
    }
}
