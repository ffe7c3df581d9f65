using LeakGuard.Detection;

namespace LeakGuard.DetectionQuality;

/// <summary>LeakGuard's own detector, replayed exactly as in a live process (bucket close → Evaluate).</summary>
internal sealed class LeakGuardMethod(DetectorSettings settings, string signal, double? limit, string name = "LeakGuard") : IAlarmMethod
{
    private static readonly DateTimeOffset Origin = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
    private SeriesReplay? _replay;
    private bool _leaking;

    public static System.Collections.Concurrent.ConcurrentDictionary<string, System.Collections.Concurrent.ConcurrentBag<string>> Deciders { get; } = new();

    public string Name => name;

    public string Cell { get; set; } = string.Empty;

    public void Reset()
    {
        _replay = new SeriesReplay(new SignalDetector(signal, settings), settings, limit);
        _leaking = false;
    }

    public bool Step(double tSeconds, double value)
    {
        var verdict = _replay!.Add(Origin.AddSeconds(tSeconds), value);
        if (verdict is not null)
        {
            if (!_leaking && verdict.State == LeakState.Leaking)
            {
                Deciders.GetOrAdd($"{Cell} [{name}]", _ => []).Add($"{verdict.Horizon.TotalMinutes:0}min@{tSeconds / 3600:0}h");
            }

            _leaking = verdict.State == LeakState.Leaking;
        }

        return _leaking;
    }
}
