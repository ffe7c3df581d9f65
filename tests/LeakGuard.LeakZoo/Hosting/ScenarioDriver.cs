using System.Diagnostics;
using LeakGuard.LeakZoo.Scenarios;
using Microsoft.Extensions.Hosting;

namespace LeakGuard.LeakZoo.Hosting;

/// <summary>Advances the scenario every 100 ms (or the sample interval, if finer) and prints a sample line every sample interval.</summary>
internal sealed class ScenarioDriver(IZooScenario scenario, ZooSettings settings, IHostApplicationLifetime lifetime) : BackgroundService
{
    private static readonly TimeSpan Tick = TimeSpan.FromMilliseconds(100);

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        ZooOutput.Write(ZooOutput.Stopping, new Dictionary<string, object?> { ["units"] = scenario.Units });
        await base.StopAsync(cancellationToken);
        scenario.Stop();
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var clock = Stopwatch.StartNew();
        var nextSample = 0.0;
        var every = Math.Max(0.01, settings.SampleEverySeconds);
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(Math.Min(every, Tick.TotalSeconds)));
        try
        {
            do
            {
                var elapsed = clock.Elapsed.TotalSeconds;
                scenario.Advance(elapsed);
                if (elapsed >= nextSample)
                {
                    WriteSample();
                    nextSample = Math.Max(nextSample + every, elapsed);
                }
            }
            while (await timer.WaitForNextTickAsync(stoppingToken));
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
        catch (OutOfMemoryException oom)
        {
            OutOfMemoryEnd.Crash(oom);
        }
        catch (Exception ex)
        {
            ZooOutput.Write(ZooOutput.Error, new Dictionary<string, object?> { ["error"] = ex.ToString() });
            Environment.ExitCode = 1;
            lifetime.StopApplication();
        }
    }

    private void WriteSample()
    {
        var info = GC.GetGCMemoryInfo();
        ZooOutput.Write(ZooOutput.Sample, new Dictionary<string, object?>
        {
            ["units"] = scenario.Units,
            ["heapAfterGc"] = info.HeapSizeBytes,
            ["committed"] = info.TotalCommittedBytes,
            ["totalMemory"] = GC.GetTotalMemory(false),
            ["rss"] = Telemetry.ProcessStats.ResidentSetBytes(),
            ["threads"] = Telemetry.ProcessStats.ThreadCount(),
            ["gen0"] = GC.CollectionCount(0),
            ["gen1"] = GC.CollectionCount(1),
            ["gen2"] = GC.CollectionCount(2),
            ["jitMethods"] = System.Runtime.JitInfo.GetCompiledMethodCount(),
            ["jitIlBytes"] = System.Runtime.JitInfo.GetCompiledILBytes(),
        });
    }
}
