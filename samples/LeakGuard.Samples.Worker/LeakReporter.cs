using LeakGuard;

namespace LeakGuard.Samples.Worker;

/// <summary>Writes LeakGuard's findings to the log: what a worker without a dashboard would alert on.</summary>
public sealed class LeakReporter(ILeakMonitor monitor, ILogger<LeakReporter> logger) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        monitor.LeakDetected += OnLeakDetected;
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken)
    {
        monitor.LeakDetected -= OnLeakDetected;
        return Task.CompletedTask;
    }

    private void OnLeakDetected(object? sender, LeakDetectedEventArgs e)
    {
        logger.LogWarning("Leak detected: {Verdict}", e.Verdict);
        foreach (var type in e.Report?.GrowingTypes.Take(3) ?? [])
        {
            var path = type.RetentionPaths.FirstOrDefault();
            logger.LogWarning("  {Type} +{Count} instances (+{Bytes} bytes), held by {Root}: {Path}",
                type.Type, type.CountDelta, type.BytesDelta, path?.Root ?? "?", path is null ? "" : string.Join(" -> ", path.Path));
        }
    }
}
