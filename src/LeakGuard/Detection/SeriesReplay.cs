using LeakGuard.Buffering;

namespace LeakGuard.Detection;

/// <summary>
/// Replays a recorded series through the same path as a live process: values go into a
/// <see cref="MultiResolutionSeries"/> built from the settings and the detector runs whenever the finest bucket
/// closes. Used by <c>leakguard analyze</c> and by the detection-quality evaluation.
/// </summary>
internal sealed class SeriesReplay
{
    private readonly MultiResolutionSeries _history;
    private readonly SignalDetector _detector;
    private readonly double? _limit;

    /// <summary>Initializes a new instance of the <see cref="SeriesReplay"/> class.</summary>
    /// <param name="detector">The detector (its settings must have built the widths below).</param>
    /// <param name="settings">The tuning.</param>
    /// <param name="limit">The limit the signal grows towards, or <see langword="null"/>.</param>
    public SeriesReplay(SignalDetector detector, DetectorSettings settings, double? limit)
    {
        ArgumentNullException.ThrowIfNull(detector);
        ArgumentNullException.ThrowIfNull(settings);
        _detector = detector;
        _history = new MultiResolutionSeries(settings.BucketWidths, settings.BucketCapacity);
        _limit = limit;
    }

    /// <summary>Gets the detector.</summary>
    public SignalDetector Detector => _detector;

    /// <summary>Adds one value; evaluates when it closes the finest bucket.</summary>
    /// <param name="timestamp">The value's time (non-decreasing).</param>
    /// <param name="value">The value.</param>
    /// <returns>The verdict when an evaluation ran, otherwise <see langword="null"/>.</returns>
    public LeakVerdict? Add(DateTimeOffset timestamp, double value) =>
        _history.Add(timestamp, value) ? _detector.Evaluate(timestamp, _history, _limit) : null;
}
