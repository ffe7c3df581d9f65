using System.Collections.Concurrent;
using System.Diagnostics.Metrics;

namespace LeakGuard.LeakZoo.Telemetry;

/// <summary>
/// Listens to LeakGuard's meter the way an OpenTelemetry exporter would and keeps, per instrument,
/// the number of measurements, their sum and the last value per <c>leakguard.signal</c>.
/// </summary>
internal sealed class LeakGuardMeterRecorder : IDisposable
{
    private const string MeterName = "LeakGuard";
    private readonly MeterListener _listener = new();
    private readonly ConcurrentDictionary<string, InstrumentTotals> _totals = new(StringComparer.Ordinal);

    public LeakGuardMeterRecorder()
    {
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument.Meter.Name == MeterName)
            {
                listener.EnableMeasurementEvents(instrument);
            }
        };
        _listener.SetMeasurementEventCallback<long>((i, v, tags, _) => Record(i, v, tags));
        _listener.SetMeasurementEventCallback<int>((i, v, tags, _) => Record(i, v, tags));
        _listener.SetMeasurementEventCallback<double>((i, v, tags, _) => Record(i, v, tags));
        _listener.Start();
    }

    /// <summary>Collects the observable instruments once and returns the totals.</summary>
    public Dictionary<string, object?> Collect()
    {
        _listener.RecordObservableInstruments();
        return _totals.OrderBy(p => p.Key, StringComparer.Ordinal)
            .ToDictionary(p => p.Key, p => (object?)p.Value.ToPayload(), StringComparer.Ordinal);
    }

    public void Dispose() => _listener.Dispose();

    private void Record(Instrument instrument, double value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        var signal = string.Empty;
        foreach (var tag in tags)
        {
            if (tag.Key == "leakguard.signal")
            {
                signal = tag.Value?.ToString() ?? string.Empty;
            }
        }

        _totals.GetOrAdd(instrument.Name, _ => new InstrumentTotals()).Add(signal, value);
    }

    private sealed class InstrumentTotals
    {
        private readonly Lock _gate = new();
        private readonly Dictionary<string, double> _last = new(StringComparer.Ordinal);
        private long _count;
        private double _sum;

        public void Add(string signal, double value)
        {
            lock (_gate)
            {
                _count++;
                _sum += value;
                _last[signal] = value;
            }
        }

        public Dictionary<string, object?> ToPayload()
        {
            lock (_gate)
            {
                return new Dictionary<string, object?>
                {
                    ["count"] = _count,
                    ["sum"] = _sum,
                    ["last"] = new Dictionary<string, double>(_last, StringComparer.Ordinal),
                };
            }
        }
    }
}
