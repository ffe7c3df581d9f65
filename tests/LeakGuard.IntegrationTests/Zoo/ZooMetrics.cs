using System.Text.Json;

namespace LeakGuard.IntegrationTests.Zoo;

/// <summary>
/// Reads the LeakGuard meter's measurements that the child recorded with a MeterListener (as an OpenTelemetry
/// exporter would) and printed in its <c>ZOO-OVERHEAD</c> line: per instrument, the count, sum and last value per signal.
/// </summary>
internal static class ZooMetrics
{
    public const string Detections = "leakguard.leak.detections";

    /// <summary>Returns the signals an instrument recorded measurements for (empty when it recorded none).</summary>
    public static IReadOnlySet<string> SignalsOf(ZooLine? overhead, string instrument)
    {
        var signals = new HashSet<string>(StringComparer.Ordinal);
        if (overhead is not null
            && overhead.Data.TryGetProperty("metrics", out var metrics)
            && metrics.TryGetProperty(instrument, out var totals)
            && totals.TryGetProperty("last", out var last)
            && last.ValueKind == JsonValueKind.Object)
        {
            foreach (var property in last.EnumerateObject())
            {
                signals.Add(property.Name);
            }
        }

        return signals;
    }
}
