using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace LeakGuard.LeakZoo.Hosting;

/// <summary>Prints every memory signal's current verdict at a fixed interval (<c>--verdicts-every</c>): state, time to limit with its range, and the limit it is projected to; and <c>restart_cadence</c>'s state, cadence, growth per lifetime and reason.</summary>
internal sealed class VerdictSampler(IServiceProvider services, TimeSpan every) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (services.GetService<ILeakMonitor>() is not { } monitor)
        {
            return;
        }

        using var timer = new PeriodicTimer(every);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                var verdicts = new List<Dictionary<string, object?>>();
                foreach (var verdict in monitor.Verdicts.Values)
                {
                    if (verdict.Signal == LeakSignals.RestartCadence)
                    {
                        verdicts.Add(new Dictionary<string, object?>
                        {
                            ["signal"] = verdict.Signal,
                            ["state"] = verdict.State.ToString(),
                            ["cadenceSeconds"] = verdict.Horizon.TotalSeconds,
                            ["growthPerLifetimeBytes"] = verdict.GrowthSinceBaseline,
                            ["reason"] = verdict.Reason,
                        });
                    }
                    else if (LeakSignals.IsMemorySignal(verdict.Signal))
                    {
                        verdicts.Add(new Dictionary<string, object?>
                        {
                            ["signal"] = verdict.Signal,
                            ["state"] = verdict.State.ToString(),
                            ["evaluatedAgo"] = Math.Round((DateTimeOffset.UtcNow - verdict.EvaluatedAt).TotalSeconds, 3),
                            ["timeToLimitSeconds"] = verdict.TimeToLimit?.TotalSeconds,
                            ["earliestSeconds"] = verdict.TimeToLimitEarliest?.TotalSeconds,
                            ["latestSeconds"] = verdict.TimeToLimitLatest?.TotalSeconds,
                            ["limit"] = verdict.Limit,
                            ["limitBytes"] = verdict.LimitBytes,
                            ["usage"] = verdict.Usage,
                        });
                    }
                }

                // The GC's own view at the latest collection, for tests that compare a projection with the death.
                var gc = GC.GetGCMemoryInfo();
                ZooOutput.Write(ZooOutput.Verdicts, new Dictionary<string, object?>
                {
                    ["verdicts"] = verdicts,
                    ["gcHeapBytes"] = gc.HeapSizeBytes,
                    ["gcCommittedBytes"] = gc.TotalCommittedBytes,
                    ["gcFragmentedBytes"] = gc.FragmentedBytes,
                    ["gcIndex"] = gc.Index,
                });
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
        catch (OutOfMemoryException oom)
        {
            OutOfMemoryEnd.Crash(oom);
        }
    }
}
