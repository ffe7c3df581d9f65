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
        // Raised when the signal enters Leaking, and again with the report when the investigation it started ends.
        if (e.Report is null)
        {
            logger.LogWarning("Leak detected: {Verdict} (the report follows when the investigation ends)", e.Verdict);
            return;
        }

        logger.LogWarning("Leak detected: {Verdict}", e.Verdict);
        foreach (var type in e.Report.GrowingTypes.Take(3))
        {
            var path = type.RetentionPaths.FirstOrDefault();
            logger.LogWarning("  {Type} +{Count} instances (+{Bytes} bytes), held by {Root}: {Path}",
                type.Type, type.CountDelta, type.BytesDelta, path?.Root ?? "?", path is null ? "" : string.Join(" -> ", path.Path));
        }

        if (e.Report.GrowingTypes.FirstOrDefault()?.Pattern is { } pattern)
        {
            logger.LogWarning("  known pattern {Pattern}: {Title}. Fix: {Fix}", pattern.Id, pattern.Title, pattern.Fix);
        }

        if (e.AllocatedAt is { } site)
        {
            logger.LogWarning("  allocated at {Site}", site);
        }

        logger.LogWarning("  signature {Signature}", e.Signature ?? "none");
    }
}
