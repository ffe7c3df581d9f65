namespace LeakGuard.Detection;

/// <summary>
/// The detector's settings, derived from <see cref="LeakGuardOptions"/>: only what a user sets (window, sensitivity,
/// minimum growth, urgency horizon, warm-up) and the bucket widths that follow from the window and the sampling interval.
/// The model comparison's own constants live in <see cref="GrowthComparison"/>; docs/detection.md states them all.
/// </summary>
internal sealed record DetectorSettings
{
    /// <summary>The ratio between consecutive bucket widths.</summary>
    public const int LevelFactor = 4;

    /// <summary>The number of bucket widths kept per signal.</summary>
    public const int LevelCount = 5;

    /// <summary>The longest stretch of history one assessment looks back over (three daily cycles), unless a window's buckets span more (<see cref="Lookback"/>).</summary>
    public static readonly TimeSpan MaxLookback = TimeSpan.FromDays(3);

    /// <summary>Gets the bucket widths of the signal histories, finest first.</summary>
    public required IReadOnlyList<TimeSpan> BucketWidths { get; init; }

    /// <summary>Gets the number of closed buckets kept per width (a power of two).</summary>
    public int BucketCapacity { get; init; } = 256;

    /// <summary>Gets how long after the first value the detector ignores the signal.</summary>
    public TimeSpan WarmUp { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>Gets the number of finest buckets in one <see cref="DetectionOptions.Window"/>.</summary>
    public int PointsPerHorizon { get; init; } = 64;

    /// <summary>Gets the shortest watched time (after the warm-up) before anything is judged.</summary>
    public TimeSpan Window { get; init; } = TimeSpan.FromMinutes(10);

    /// <summary>
    /// Gets the longest stretch of history one assessment looks back over: <see cref="MaxLookback"/>, or the window's
    /// <see cref="PointsPerHorizon"/> finest buckets when they span more — a window over three days, or values sparser
    /// than one every 34 min, whose finest bucket holds two of them. A window is the shortest stretch judged, so no
    /// assessment may look back over less: with three days against a 13-day window (the option allows 30), or against
    /// 12-h buckets of values read every 6 h, the lookback held under the 16 buckets a judgement needs, and nothing was
    /// ever judged.
    /// </summary>
    public TimeSpan Lookback
    {
        get
        {
            var buckets = BucketWidths.Count > 0 ? BucketWidths[0] * PointsPerHorizon : TimeSpan.Zero;
            var window = Window > buckets ? Window : buckets;
            return window > MaxLookback ? window : MaxLookback;
        }
    }

    /// <summary>
    /// Gets the evidence of a rise over a flat level (≈ log Bayes factor, see <see cref="GrowthAssessment.RiseEvidence"/>)
    /// that urgency asks: a rise that reaches the limit soon need not beat every bounded explanation clearly yet.
    /// </summary>
    public double UrgentRiseEvidence { get; init; } = 3;

    /// <summary>
    /// Gets the evidence (≈ log Bayes factor, see <see cref="GrowthAssessment.Evidence"/>) a rise needs over every bounded
    /// explanation to raise an alarm without urgency: <see cref="LeakState.Suspected"/> while it is young (a warm-up, a cache
    /// filling or a daily cycle could still explain it), <see cref="LeakState.Leaking"/> once it is not.
    /// </summary>
    public double LeakEvidence { get; init; } = 9;

    /// <summary>Gets the urgency horizon (see <see cref="DetectionOptions.UrgencyHorizon"/>; zero = off).</summary>
    public TimeSpan UrgencyHorizon { get; init; } = DetectionOptions.DefaultUrgencyHorizon;

    /// <summary>Gets the consecutive evaluations without a rise after which a suspicion is dropped (a quarter window).</summary>
    public int DismissEvaluations { get; init; } = 16;

    /// <summary>Gets the consecutive evaluations without a rise after which a leak is released (one window).</summary>
    public int ReleaseEvaluations { get; init; } = 64;

    /// <summary>Gets the minimum memory growth in bytes (from <see cref="DetectionOptions.MinGrowthBytes"/>).</summary>
    public double MinGrowthBytes { get; init; } = 8L * 1024 * 1024;

    /// <summary>Gets the minimum growth as a fraction of the level (from <see cref="DetectionOptions.MinGrowthPercent"/>).</summary>
    public double MinGrowthFraction { get; init; } = 0.05;

    /// <summary>Builds the settings for the given options.</summary>
    /// <param name="options">The options.</param>
    /// <returns>The settings.</returns>
    public static DetectorSettings FromOptions(LeakGuardOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return Create(options.Detection.Window, options.SampleInterval, options.WarmUp, options.Detection);
    }

    /// <summary>Builds settings for a window and a sampling interval (the CLI's replay and the evaluation use this).</summary>
    /// <param name="window">The shortest judged stretch.</param>
    /// <param name="sampleInterval">The interval between raw values.</param>
    /// <param name="warmUp">The warm-up to ignore.</param>
    /// <param name="detection">The detection options (sensitivity, minimum growth, urgency horizon).</param>
    /// <returns>The settings.</returns>
    public static DetectorSettings Create(TimeSpan window, TimeSpan sampleInterval, TimeSpan warmUp, DetectionOptions detection)
    {
        ArgumentNullException.ThrowIfNull(detection);
        const int Points = 64;

        // Clamp what the arithmetic below multiplies, so absurd values cannot overflow (options validation names them first).
        var maxWindow = TimeSpan.FromDays(3650);
        window = window <= TimeSpan.Zero ? TimeSpan.FromSeconds(1) : window > maxWindow ? maxWindow : window;
        sampleInterval = sampleInterval <= TimeSpan.Zero ? TimeSpan.FromSeconds(1) : sampleInterval > maxWindow ? maxWindow : sampleInterval;
        warmUp = warmUp < TimeSpan.Zero ? TimeSpan.Zero : warmUp > maxWindow ? maxWindow : warmUp;

        // A floor needs at least two raw values per bucket, and the bucket ring needs at least 1 ms.
        var finestTicks = Math.Max(window.Ticks / Points, Math.Max(2 * sampleInterval.Ticks, TimeSpan.TicksPerMillisecond));
        var widths = new TimeSpan[LevelCount];
        for (var i = 0; i < LevelCount; i++)
        {
            widths[i] = TimeSpan.FromTicks(finestTicks * (long)Math.Pow(LevelFactor, i));
        }

        var (urgentRise, leak) = detection.Sensitivity switch
        {
            DetectionSensitivity.Low => (4.5, 12.0),
            DetectionSensitivity.High => (2.0, 4.0),
            _ => (3.0, 9.0),
        };

        var urgency = detection.UrgencyHorizon;
        return new DetectorSettings
        {
            BucketWidths = widths,
            WarmUp = warmUp,
            Window = window,
            PointsPerHorizon = Points,
            UrgentRiseEvidence = urgentRise,
            LeakEvidence = leak,
            UrgencyHorizon = urgency < TimeSpan.Zero ? TimeSpan.Zero : urgency > maxWindow ? maxWindow : urgency,
            MinGrowthBytes = Math.Max(0, detection.MinGrowthBytes),
            MinGrowthFraction = Math.Max(0, detection.MinGrowthPercent) / 100.0,
        };
    }

    /// <summary>Returns the thresholds for a signal: bytes for memory signals, absolute minimums for counts, relative for user gauges.</summary>
    /// <param name="signal">The signal's name.</param>
    /// <returns>The profile.</returns>
    public SignalProfile ForSignal(string signal)
    {
        if (LeakSignals.IsMemorySignal(signal))
        {
            return new SignalProfile { QuantumRelative = 0.0001, MinGrowthAbsolute = MinGrowthBytes, MinGrowthRelative = MinGrowthFraction };
        }

        // Counts are integers, so the quantum is 1; their minimums are what a real leak of that resource
        // reaches within an hour while pools and thread-pool injection stay below them.
        return signal switch
        {
            LeakSignals.Threads => Count(16),
            LeakSignals.Timers => Count(64),
            LeakSignals.GcHandles => Count(256),
            LeakSignals.FinalizationQueue => Count(2048),

            // An application's lazy loads after start are tens of assemblies; code generated per call adds one per call.
            LeakSignals.LoadedAssemblies => Count(64),
            LeakSignals.RetainedObjects => Count(8),
            LeakSignals.GcPressure => new SignalProfile { QuantumAbsolute = 0.001, MinGrowthAbsolute = 0.05 },
            _ => new SignalProfile { QuantumRelative = 0.0001, MinGrowthRelative = MinGrowthFraction },
        };
    }

    private static SignalProfile Count(double minimum) => new() { QuantumAbsolute = 1, MinGrowthAbsolute = minimum };
}
