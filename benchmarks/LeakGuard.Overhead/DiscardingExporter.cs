using OpenTelemetry;
using OpenTelemetry.Metrics;

namespace LeakGuard.Overhead;

/// <summary>An exporter that reads every metric point (so collection really happens) and drops it.</summary>
internal sealed class DiscardingExporter : BaseExporter<Metric>
{
    public long Points { get; private set; }

    public override ExportResult Export(in Batch<Metric> batch)
    {
        foreach (var metric in batch)
        {
            foreach (ref readonly var point in metric.GetMetricPoints())
            {
                _ = point.StartTime;
                Points++;
            }
        }

        return ExportResult.Success;
    }
}
