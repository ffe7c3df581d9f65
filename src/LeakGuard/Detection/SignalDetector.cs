using LeakGuard.Buffering;

namespace LeakGuard.Detection;

// CONTRACT STUB (owned by the detection work): the shape the pipeline codes against.
// The detection branch replaces this file; keep the members below (add freely).

/// <summary>Judges one signal over all horizons, with hysteresis between evaluations (stateful, one per signal).</summary>
internal sealed class SignalDetector
{
    private readonly DetectorSettings _settings;

    /// <summary>Initializes a new instance of the <see cref="SignalDetector"/> class.</summary>
    /// <param name="signal">The signal's name.</param>
    /// <param name="settings">The tuning.</param>
    public SignalDetector(string signal, DetectorSettings settings)
    {
        Signal = signal;
        _settings = settings;
    }

    /// <summary>Gets the signal's name.</summary>
    public string Signal { get; }

    /// <summary>Evaluates the signal's history; call when the finest bucket closes.</summary>
    /// <param name="now">The evaluation time.</param>
    /// <param name="history">The signal's downsampled history (built with <see cref="DetectorSettings.BucketWidths"/>).</param>
    /// <param name="limit">The limit the signal grows towards (the memory limit for memory signals), or <see langword="null"/>.</param>
    /// <returns>The verdict after hysteresis.</returns>
    public LeakVerdict Evaluate(DateTimeOffset now, MultiResolutionSeries history, double? limit)
    {
        _ = _settings;
        _ = history;
        _ = limit;
        return new LeakVerdict { Signal = Signal, State = LeakState.InsufficientData, EvaluatedAt = now, Since = now };
    }
}
