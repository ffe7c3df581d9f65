namespace LeakGuard.Detection;

/// <summary>
/// The detector's tuning, derived from <see cref="LeakGuardOptions"/>. The shortest horizon is
/// <see cref="DetectionOptions.Window"/>; each further bucket width is <see cref="LevelFactor"/> times the one
/// before, and each level is analysed over its latest <see cref="PointsPerHorizon"/> buckets, so the horizons are
/// Window, 4·Window, 16·Window, 64·Window and 256·Window (10 min … 42 h with the defaults).
/// </summary>
internal sealed record DetectorSettings
{
    /// <summary>The ratio between consecutive bucket widths (and horizons).</summary>
    public const int LevelFactor = 4;

    /// <summary>The number of horizons.</summary>
    public const int LevelCount = 5;

    /// <summary>Gets the bucket widths of the signal histories, finest first (one per analysis horizon).</summary>
    public required IReadOnlyList<TimeSpan> BucketWidths { get; init; }

    /// <summary>Gets the number of closed buckets kept per width (a power of two).</summary>
    public int BucketCapacity { get; init; } = 256;

    /// <summary>Gets how long after the first value the detector ignores the signal (buckets that start earlier are never analysed).</summary>
    public TimeSpan WarmUp { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>Gets the number of latest buckets each horizon analyses.</summary>
    public int PointsPerHorizon { get; init; } = 64;

    /// <summary>Gets the fewest buckets a horizon needs before it is tested.</summary>
    public int MinPoints { get; init; } = 16;

    /// <summary>Gets the one-sided significance level of the autocorrelation-corrected Mann–Kendall test.</summary>
    public double Alpha { get; init; } = 0.001;

    /// <summary>Gets the one-sided significance level the recent half of a window must reach on its own (plateau guard).</summary>
    public double RecentAlpha { get; init; } = 0.05;

    /// <summary>Gets the share of the first third's slope the last third must keep, within two standard errors (plateau guard).</summary>
    public double RecentSlopeShare { get; init; } = 0.7;

    /// <summary>Gets how many robust standard deviations of the detrended floors the growth must exceed.</summary>
    public double NoiseSigmas { get; init; } = 4;

    /// <summary>Gets how many noise correlation times a window must span before it is tested.</summary>
    public double CorrelationSpans { get; init; } = 20;

    /// <summary>
    /// Gets how many robust standard deviations of a window's detrended floors its growth must reach to be judged
    /// whatever the noise's correlation (the <see cref="CorrelationSpans"/> rule is waived); 0 = never. A wander cannot
    /// grow by fifty times the scatter around its own trend line, while an exact count (threads rising 5 per second,
    /// sampled against the creating code's timer) has a ±1 beat whose slow period reads as strong correlation.
    /// </summary>
    public double CorrelationWaiverSigmas { get; init; } = 50;

    /// <summary>
    /// Gets the memory of each horizon's pooled noise-correlation estimate, in pieces (0 = no pool). A piece is the
    /// last half of a window, added once its floors are all newer than the previous piece's (non-overlapping), its
    /// lag-1 around its own line corrected for the line-detrending bias; older pieces fade by 1 − 1/this per piece.
    /// </summary>
    public double NoisePoolPieces { get; init; } = 16;

    /// <summary>
    /// Gets the slope b of the line-detrending bias (2 + bρ)/m that the pooled lag-1 is corrected for. 6.5 was measured on
    /// AR(1) pieces, but bucket floors (minima) of AR noise have a faster-decaying correlation than AR(1) of the same lag-1,
    /// so a line takes less of it and 6.5 over-corrects (40-s floors of AR(0.98) noise, lag-1 0.89, read 0.95–0.97);
    /// 5 cost the evaluation's 5 %/h and 20 %/h leaks nothing against the window's own estimate, 6.5 cost them 3–4 minutes.
    /// </summary>
    public double NoisePoolBiasSlope { get; init; } = 5;

    /// <summary>Gets a value indicating whether a pooled piece weighs by its length (a partial window's half is shorter).</summary>
    public bool NoisePoolWeighByLength { get; init; }

    /// <summary>
    /// Gets a value indicating whether a horizon whose own pool is still young is judged with the next finer horizon's
    /// pooled lag-1 raised to the ratio of their bucket widths (the AR(1) relation).
    /// </summary>
    public bool PooledFromFinerLevel { get; init; }

    /// <summary>
    /// Gets how many pieces a horizon's pool needs before it is used (~85 minutes of life on the evaluation's 43-min horizon):
    /// with 3 the first pieces (partial windows' short halves) over-read and cost 20 %/h leaks 2 minutes of median, and in
    /// one run an under-read let an AR(0.98) wander through; with 4 the evaluation's leaks lost at most a minute of median;
    /// with 5 more AR(0.98) runs alarmed before their pools were used.
    /// </summary>
    public int NoisePoolMinPieces { get; init; } = 4;

    /// <summary>
    /// Gets how many pooled noise correlation times a window must span once the pool is mature (replaces
    /// <see cref="CorrelationSpans"/> and the window's own estimate; 0 = keep the window's own span rule).
    /// </summary>
    public double PooledCorrelationSpans { get; init; }

    /// <summary>
    /// Gets a value indicating whether, once the pool is mature, the Mann–Kendall variance is inflated at least by
    /// Hamed–Rao's factor for AR(1) noise with the pooled lag-1 (all lags, no significance screening), so a window a few
    /// correlation times long is judged by a calibrated test.
    /// </summary>
    public bool PooledVarianceFloor { get; init; } = true;

    /// <summary>Gets a value indicating whether the next longer horizon lends its pooled estimate (when mature) instead of its window's.</summary>
    public bool PooledLending { get; init; }

    /// <summary>Gets the share of the first third's slope the last third of the whole post-warm-up life must keep, within two standard errors, before a leak is confirmed (1.0 would veto any significant slow-down, but also a leak from process start on top of an early RSS ramp: it missed the zoo's native-memory leak).</summary>
    public double LifetimeSlopeShare { get; init; } = 0.85;

    /// <summary>
    /// Gets what makes the lifetime check sharp enough to clear a young signal (see <see cref="ConfirmMinAgeWindows"/>):
    /// its two standard errors are below (1 − this) × the faster third's slope, and the last third's measured slope is at
    /// least this share of the first's (a young life that already measures slower, but not significantly so, is a
    /// start-up curve as often as a leak: it waits for the minimum age).
    /// </summary>
    public double LifetimePowerShare { get; init; } = 0.85;

    /// <summary>
    /// Gets the largest lag-1 autocorrelation of the lifetime floors by which the sharpness check (see
    /// <see cref="LifetimePowerShare"/>) widens its standard errors ((1 + ρ)/(1 − ρ) on the variance); 0 = no widening.
    /// </summary>
    public double LifetimeSharpMaxLagOne { get; init; } = 0.9;

    /// <summary>
    /// Gets the share of the lifetime first third's slope that the last third must measure (point estimate, no
    /// tolerance) before a signal younger than <see cref="LifetimeYoungWindows"/> shortest windows confirms, unless the
    /// growth is fast or the comparison sharp; 0 = off. At the 7-window minimum age the lifetime check has about one
    /// standard error of margin against logarithmic growth (true ratio ~0.35); runs that pass it by chance still measure a
    /// slow-down (0.45–0.78). In the evaluation 0.7 took such alarms from 7 % to 2 % of runs, 0.78 to none; the cost falls
    /// on a leak that starts right after a warm-up (whose first third still holds the warm-up's tail): median delay
    /// 76 min without the rule, 99 min at 0.7, 115 min at 0.78 (target ≤ 2 h).
    /// </summary>
    public double LifetimeYoungShare { get; init; } = 0.78;

    /// <summary>Gets the age, in shortest windows since the first value, below which <see cref="LifetimeYoungShare"/> applies.</summary>
    public double LifetimeYoungWindows { get; init; } = 14;

    /// <summary>
    /// Gets how many times better a few level shifts must explain a passing window than a straight line before the
    /// window is judged load changes, not a leak (least-squares error of the line over that of the best piecewise-constant
    /// fit with <see cref="LevelShiftSegments"/> levels); 0 = off. Random load steps of ±10 % every few hours climb for
    /// half a day often enough to pass an 11-h window, while a leak, even one that grows in jumps, keeps stepping.
    /// </summary>
    public double LevelShiftRatio { get; init; } = 4;

    /// <summary>Gets the most levels (shifts + 1) of the piecewise-constant fit behind <see cref="LevelShiftRatio"/>.</summary>
    public int LevelShiftSegments { get; init; } = 5;

    /// <summary>
    /// Gets the first level (0 = the shortest horizon) whose windows are judged for level shifts: on shorter windows a
    /// staircase leak's one or two jumps look like shifts, and a single step is the plateau guard's case.
    /// </summary>
    public int LevelShiftMinLevel { get; init; } = 2;

    /// <summary>Gets the fewest buckets a slower horizon needs before it may confirm a leak (a partial window right after the warm-up still holds saturating start-up growth).</summary>
    public int ConfirmMinPoints { get; init; } = 48;

    /// <summary>
    /// Gets how long, in shortest windows since the first value (warm-up included), a signal must have been watched
    /// before a leak is confirmed, unless it grows <see cref="FastGrowthFactor"/> times its minimum or the lifetime check
    /// is sharp enough (<see cref="LifetimePowerShare"/>): that check needs this much history to tell a slow start-up
    /// effect (long warm-up, logarithmic growth) from a leak.
    /// </summary>
    public double ConfirmMinAgeWindows { get; init; } = 7;

    /// <summary>Gets how many times its required growth a partial window must show to confirm anyway (fast leaks must not wait).</summary>
    public double FastGrowthFactor { get; init; } = 10;

    /// <summary>Gets the two-sided confidence of the reported slope interval.</summary>
    public double Confidence { get; init; } = 0.95;

    /// <summary>Gets the consecutive fresh passes of a slow horizon (level ≥ 1) needed to call a leak.</summary>
    public int ConfirmPasses { get; init; } = 2;

    /// <summary>Gets the consecutive evaluations without any passing horizon after which a leak is downgraded to suspected (one shortest window).</summary>
    public int ReleaseEvaluations { get; init; } = 64;

    /// <summary>Gets the consecutive evaluations without any passing horizon after which a suspicion is dropped.</summary>
    public int DismissEvaluations { get; init; } = 16;

    /// <summary>
    /// Gets the growth rate, as a fraction of the level per hour, that a confirming window must show (its lower bound)
    /// within the first day, before the daily-cycle guard can judge;
    /// 0 = no hold (Normal and High), 0.03 with Low (a ±10 % daily cycle rises at up to 2.6 %/h).
    /// </summary>
    public double CycleHoldRatePerHour { get; init; }

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

    /// <summary>Builds settings for a window and a sampling interval (the CLI's replay uses this).</summary>
    /// <param name="window">The shortest horizon.</param>
    /// <param name="sampleInterval">The interval between raw values.</param>
    /// <param name="warmUp">The warm-up to ignore.</param>
    /// <param name="detection">The detection options (sensitivity and minimum growth).</param>
    /// <returns>The settings.</returns>
    public static DetectorSettings Create(TimeSpan window, TimeSpan sampleInterval, TimeSpan warmUp, DetectionOptions detection) =>
        Create(window, sampleInterval, warmUp, detection, null);

    /// <summary>Builds settings for a window and a sampling interval, optionally with an explicit first-day cycle hold (the evaluation's trade-off sweep).</summary>
    /// <param name="window">The shortest horizon.</param>
    /// <param name="sampleInterval">The interval between raw values.</param>
    /// <param name="warmUp">The warm-up to ignore.</param>
    /// <param name="detection">The detection options (sensitivity and minimum growth).</param>
    /// <param name="cycleHoldRatePerHour">The first-day hold rate (fraction of the level per hour), or <see langword="null"/> for the sensitivity's default.</param>
    /// <returns>The settings.</returns>
    public static DetectorSettings Create(TimeSpan window, TimeSpan sampleInterval, TimeSpan warmUp, DetectionOptions detection, double? cycleHoldRatePerHour)
    {
        ArgumentNullException.ThrowIfNull(detection);
        const int Points = 64;

        // A floor needs at least two raw values per bucket, and the bucket ring needs at least 1 ms.
        var finestTicks = Math.Max(window.Ticks / Points, Math.Max(2 * sampleInterval.Ticks, TimeSpan.TicksPerMillisecond));
        var widths = new TimeSpan[LevelCount];
        for (var i = 0; i < LevelCount; i++)
        {
            widths[i] = TimeSpan.FromTicks(finestTicks * (long)Math.Pow(LevelFactor, i));
        }

        var (alpha, confirm, hold) = detection.Sensitivity switch
        {
            DetectionSensitivity.Low => (0.0001, 3, 0.03),
            DetectionSensitivity.High => (0.01, 1, 0.0),
            _ => (0.001, 2, 0.0),
        };

        return new DetectorSettings
        {
            BucketWidths = widths,
            WarmUp = warmUp < TimeSpan.Zero ? TimeSpan.Zero : warmUp,
            PointsPerHorizon = Points,
            Alpha = alpha,
            ConfirmPasses = confirm,
            CycleHoldRatePerHour = Math.Max(0, cycleHoldRatePerHour ?? hold),
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
            return new SignalProfile { QuantumRelative = 0.001, MinGrowthAbsolute = MinGrowthBytes, MinGrowthRelative = MinGrowthFraction };
        }

        // Counts are integers, so the quantum is 1; their minimums are what a real leak of that resource
        // reaches within an hour while pools and thread-pool injection stay below them.
        return signal switch
        {
            LeakSignals.Threads => Count(16),
            LeakSignals.Timers => Count(64),
            LeakSignals.GcHandles => Count(256),
            LeakSignals.FinalizationQueue => Count(2048),
            LeakSignals.RetainedObjects => Count(8),
            LeakSignals.GcPressure => new SignalProfile { QuantumAbsolute = 0.001, MinGrowthAbsolute = 0.05 },
            _ => new SignalProfile { QuantumRelative = 0.001, MinGrowthRelative = MinGrowthFraction },
        };
    }

    private static SignalProfile Count(double minimum) => new() { QuantumAbsolute = 1, MinGrowthAbsolute = minimum };
}
