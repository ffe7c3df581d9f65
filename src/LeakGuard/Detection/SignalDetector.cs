using LeakGuard.Buffering;

namespace LeakGuard.Detection;

/// <summary>
/// Judges one signal over all horizons, with hysteresis between evaluations (stateful, one per signal).
/// A horizon that passes every check makes the signal <see cref="LeakState.Suspected"/>; only consecutive fresh
/// passes of a slower horizon (level ≥ 1) make it <see cref="LeakState.Leaking"/>, because short windows alone
/// mistake autocorrelated noise for trends. A leak is released only after a run of evaluations in which no
/// horizon passes. Not thread-safe: call from the pipeline's one evaluation loop.
/// </summary>
internal sealed class SignalDetector
{
    private readonly DetectorSettings _settings;
    private readonly SignalProfile _profile;
    private readonly HorizonAnalyzer _analyzer;
    private readonly SignalPoint[] _buffer;
    private readonly HorizonResult[] _results;
    private readonly long[] _newest;
    private readonly int[] _passStreak;
    private readonly string[,] _reasons;
    private readonly double[] _poolLag;
    private readonly double[] _poolInverseLength;
    private readonly double[] _poolWeight;
    private readonly int[] _poolPieces;
    private readonly long[] _poolNext;
    private long _originTicks = long.MinValue;
    private long _restartTicks = long.MinValue;
    private LeakState _state = LeakState.InsufficientData;
    private DateTimeOffset _since;
    private int _failStreak;
    /// <summary>The fewest floors a pooled piece holds (below this the line-detrending bias correction amplifies noise).</summary>
    private const int MinPoolPiece = 16;

    private readonly double _confirmSpanSeconds;
    private readonly double _windowSeconds;
    private readonly double[] _widthSeconds;

    /// <summary>Initializes a new instance of the <see cref="SignalDetector"/> class.</summary>
    /// <param name="signal">The signal's name.</param>
    /// <param name="settings">The tuning.</param>
    public SignalDetector(string signal, DetectorSettings settings)
        : this(signal, settings, (settings ?? throw new ArgumentNullException(nameof(settings))).ForSignal(signal))
    {
    }

    /// <summary>Initializes a new instance of the <see cref="SignalDetector"/> class with explicit thresholds.</summary>
    /// <param name="signal">The signal's name.</param>
    /// <param name="settings">The tuning.</param>
    /// <param name="profile">The signal's thresholds.</param>
    public SignalDetector(string signal, DetectorSettings settings, SignalProfile profile)
    {
        ArgumentNullException.ThrowIfNull(signal);
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(profile);
        Signal = signal;
        _settings = settings;
        _profile = profile;
        var levels = settings.BucketWidths.Count;
        _analyzer = new HorizonAnalyzer(settings, settings.PointsPerHorizon);
        _buffer = new SignalPoint[Math.Max(settings.BucketCapacity, settings.PointsPerHorizon)];
        _results = new HorizonResult[levels];
        _newest = new long[levels];
        _passStreak = new int[levels];
        _reasons = VerdictReasons.Build(settings);
        _poolLag = new double[levels];
        _poolInverseLength = new double[levels];
        _poolWeight = new double[levels];
        _poolPieces = new int[levels];
        _poolNext = new long[levels];

        // A partial window of a slower horizon may confirm once it spans the second horizon (4 × Window):
        // long enough to see a start-up effect level off.
        _widthSeconds = settings.BucketWidths.Select(w => w.TotalSeconds).ToArray();
        _confirmSpanSeconds = (settings.BucketWidths[Math.Min(1, levels - 1)] * settings.PointsPerHorizon).TotalSeconds;
        _windowSeconds = (settings.BucketWidths[0] * settings.PointsPerHorizon).TotalSeconds;
        Array.Fill(_newest, long.MinValue);
    }

    /// <summary>Gets the signal's name.</summary>
    public string Signal { get; }

    /// <summary>Gets a level's latest analysis (diagnostics: the evaluation's timeline prints them).</summary>
    /// <param name="level">The level (0 = the finest buckets).</param>
    /// <returns>The result, or the default before the level was analysed.</returns>
    public HorizonResult LatestResult(int level) => level >= 0 && level < _results.Length ? _results[level] : default;

    /// <summary>Gets the current state (after hysteresis).</summary>
    public LeakState State => _state;

    /// <summary>
    /// Restarts the warm-up after LeakGuard itself disturbed the signal (a heap snapshot's session buffers raise the
    /// process's resident memory by tens of MB, and part of it stays resident): floors before
    /// <paramref name="disturbedUntil"/> + <see cref="DetectorSettings.WarmUp"/> are not analysed, as at start-up.
    /// A <see cref="LeakState.Leaking"/> state is held meanwhile; the other states are kept or decay as usual.
    /// </summary>
    /// <param name="disturbedUntil">The latest time the disturbance was seen.</param>
    public void Restart(DateTimeOffset disturbedUntil)
    {
        if (disturbedUntil.UtcTicks <= _restartTicks)
        {
            return;
        }

        _restartTicks = disturbedUntil.UtcTicks;
        Array.Clear(_passStreak);
        Array.Fill(_newest, long.MinValue);
    }

    /// <summary>Evaluates the signal's history; call when the finest bucket closes.</summary>
    /// <param name="now">The evaluation time.</param>
    /// <param name="history">The signal's downsampled history (built with <see cref="DetectorSettings.BucketWidths"/>).</param>
    /// <param name="limit">The limit the signal grows towards (the memory limit for memory signals), or <see langword="null"/>.</param>
    /// <returns>The verdict after hysteresis.</returns>
    public LeakVerdict Evaluate(DateTimeOffset now, MultiResolutionSeries history, double? limit)
    {
        ArgumentNullException.ThrowIfNull(history);
        var levels = Math.Min(history.LevelCount, _results.Length);
        if (_originTicks == long.MinValue && levels > 0)
        {
            var count = history[0].CopyClosed(_buffer.AsSpan(0, _buffer.Length));
            if (count > 0)
            {
                _originTicks = _buffer[0].Timestamp.UtcTicks;
            }
        }

        var warmEnd = _originTicks == long.MinValue ? long.MaxValue : Math.Max(_originTicks, _restartTicks) + _settings.WarmUp.Ticks;
        var tested = false;
        for (var level = 0; level < levels; level++)
        {
            tested |= Refresh(level, history, warmEnd);
        }

        var decision = Decide(tested, history, warmEnd, now);
        if (decision != _state || _since == default)
        {
            _state = decision;
            _since = now;
        }

        return BuildVerdict(now, history, levels, limit);
    }

    private bool Refresh(int level, MultiResolutionSeries history, long warmEnd)
    {
        // Peek at the newest bucket first: most evaluations find the slower levels unchanged.
        var ring = history[level];
        if (ring.CopyClosed(_buffer.AsSpan(0, 1)) == 0)
        {
            _results[level] = default;
            return false;
        }

        var newest = _buffer[0].Timestamp.UtcTicks;
        if (newest == _newest[level])
        {
            return _results[level].Outcome != HorizonOutcome.TooFewPoints;
        }

        _newest[level] = newest;
        var count = ring.CopyClosed(_buffer.AsSpan(0, Math.Min(_buffer.Length, _settings.PointsPerHorizon)));
        var start = FirstAfter(count, warmEnd);
        var tailStart = start + ((count - start) / 2);
        var poolDue = _settings.NoisePoolPieces > 0 && count - tailStart >= MinPoolPiece && _buffer[tailStart].Timestamp.UtcTicks >= _poolNext[level];
        var result = _analyzer.Analyze(_buffer.AsSpan(start, count - start), _profile, level > 0 || poolDue, JudgingLagOne(level), level >= _settings.LevelShiftMinLevel);
        if (poolDue && result.TailPoints >= MinPoolPiece && double.IsFinite(result.TailLagOne))
        {
            AddToPool(level, result.TailLagOne, result.TailPoints);
            _poolNext[level] = newest + 1;
        }

        // Every passing window, once a day of history exists (before that the guard cannot judge): a 43-min window sees
        // a cycle's rising half too, and the day-over-day comparison costs a real leak nothing.
        if (result.Passed)
        {
            result = ApplyCycleGuard(result, history, warmEnd);
        }

        _results[level] = result;
        _passStreak[level] = result.Passed ? _passStreak[level] + 1 : 0;
        return result.Outcome != HorizonOutcome.TooFewPoints;
    }

    /// <summary>
    /// Adds one piece (a window's last half, none of whose floors an earlier piece held) to the level's pooled lag-1:
    /// an exponentially weighted mean of the pieces' ratios and of their inverse lengths (for the bias correction).
    /// </summary>
    private void AddToPool(int level, double lagOne, int length)
    {
        // With NoisePoolWeighByLength a piece weighs by its length (a short piece's ratio is noisier, its bias correction larger).
        var keep = 1 - (1 / Math.Max(1, _settings.NoisePoolPieces));
        var weight = _settings.NoisePoolWeighByLength ? length / (_settings.PointsPerHorizon / 2.0) : 1;
        _poolLag[level] = (_poolLag[level] * keep) + (weight * lagOne);
        _poolInverseLength[level] = (_poolInverseLength[level] * keep) + (weight / length);
        _poolWeight[level] = (_poolWeight[level] * keep) + weight;
        _poolPieces[level]++;
    }

    /// <summary>
    /// The pooled lag-1 a level is judged with: its own pool's, or while that is young and
    /// <see cref="DetectorSettings.PooledFromFinerLevel"/> is set, the next finer level's raised to the ratio of their
    /// bucket widths (AR(1) noise: ρ(4w) = ρ(w)⁴); NaN when neither is mature.
    /// </summary>
    private double JudgingLagOne(int level)
    {
        var own = PooledLagOne(level);
        if (!double.IsNaN(own) || !_settings.PooledFromFinerLevel || level == 0)
        {
            return own;
        }

        var finer = JudgingLagOne(level - 1);
        return double.IsNaN(finer) ? double.NaN : Math.Pow(finer, _widthSeconds[level] / _widthSeconds[level - 1]);
    }

    /// <summary>
    /// Gets a level's pooled lag-1 autocorrelation, or NaN while fewer than <see cref="DetectorSettings.NoisePoolMinPieces"/>
    /// pieces were pooled. A line fitted to m floors takes ≈ (2 + bρ)/m off their lag-1 (b = 6.5 in a Monte Carlo of AR(1)
    /// pieces of 16 and 32 points, ρ = 0…0.95; less for bucket floors, see <see cref="DetectorSettings.NoisePoolBiasSlope"/>),
    /// so the pooled ratio r is corrected as ρ = (r + 2/m)/(1 − b/m), with 1/m the pieces' mean inverse length.
    /// </summary>
    /// <param name="level">The level (0 = the finest buckets).</param>
    /// <returns>The pooled estimate in [0, 0.999], or NaN.</returns>
    public double PooledLagOne(int level)
    {
        if (!(_settings.NoisePoolPieces > 0) || _poolPieces[level] < Math.Max(1, _settings.NoisePoolMinPieces))
        {
            return double.NaN;
        }

        var r = _poolLag[level] / _poolWeight[level];
        var h = _poolInverseLength[level] / _poolWeight[level];
        var rho = (r + (2 * h)) / (1 - (_settings.NoisePoolBiasSlope * h));
        return Math.Clamp(rho, 0, 0.999);
    }

    private HorizonResult ApplyCycleGuard(HorizonResult result, MultiResolutionSeries history, long warmEnd)
    {
        var coarsest = history[history.LevelCount - 1];
        var count = coarsest.CopyClosed(_buffer);
        var first = FirstAfter(count, warmEnd);
        var grows = DailyCycleGuard.FloorsGrow(_buffer.AsSpan(first, count - first), result.RequiredGrowth, TimeSpan.FromSeconds(result.SpanSeconds));
        return grows == false ? result with { Outcome = HorizonOutcome.DailyCycle } : result;
    }

    /// <summary>
    /// Checks the whole post-warm-up history, thinned to at most one window of floors, for growth that slows down;
    /// run only when a leak is about to be confirmed.
    /// </summary>
    private (bool Decelerating, bool Sharp, double Share) JudgeLifetime(MultiResolutionSeries history, long warmEnd)
    {
        for (var level = 0; level < history.LevelCount; level++)
        {
            var ring = history[level];
            var count = ring.CopyClosed(_buffer);
            var first = FirstAfter(count, warmEnd);
            if (first == 0 && count == ring.Capacity && level < history.LevelCount - 1)
            {
                // This resolution has already forgotten part of the life; a coarser one still holds all of it.
                continue;
            }

            var m = count - first;
            var group = Math.Max(1, (m + _settings.PointsPerHorizon - 1) / _settings.PointsPerHorizon);
            var thinned = 0;
            for (var i = first; i < count; i += group)
            {
                var floor = _buffer[i];
                for (var j = i + 1; j < Math.Min(count, i + group); j++)
                {
                    if (_buffer[j].Min < floor.Min)
                    {
                        floor = floor with { Min = _buffer[j].Min };
                    }
                }

                _buffer[thinned++] = floor;
            }

            return _analyzer.JudgeLifetime(_buffer.AsSpan(0, thinned), _profile);
        }

        return (false, false, 1);
    }

    /// <summary>Whether the signal is still in the warm-up that <see cref="Restart"/> began.</summary>
    private bool IsSettling(DateTimeOffset now) => _restartTicks != long.MinValue && now.UtcTicks < _restartTicks + _settings.WarmUp.Ticks;

    private int FirstAfter(int count, long warmEnd)
    {
        var first = 0;
        while (first < count && _buffer[first].Timestamp.UtcTicks < warmEnd)
        {
            first++;
        }

        return first;
    }

    /// <summary>
    /// The next longer horizon measures correlation times too long for this level's own 64 points to reveal;
    /// the window must span 10 of them.
    /// </summary>
    private bool SpansNoiseAbove(int level, in HorizonResult result)
    {
        if (level + 1 >= _results.Length || _widthSeconds.Length <= level + 1)
        {
            return true;
        }

        // A longer window that already grows by its minimum may hold a leak's onset, which bends one half and inflates
        // the pooled estimate: then only the cleaner half speaks for the noise.
        var above = _results[level + 1];
        var pooled = _settings.PooledLending && above.PooledLagOne >= 0;
        var rho = pooled ? above.PooledLagOne : above.Growth >= above.RequiredGrowth ? above.LagOneLow : above.LagOne;
        if (!(rho > 0))
        {
            return true;
        }

        if (rho >= 1)
        {
            return false;
        }

        var tau = -_widthSeconds[level + 1] / Math.Log(rho);
        var spans = pooled && _settings.PooledCorrelationSpans > 0 ? _settings.PooledCorrelationSpans : _settings.CorrelationSpans;
        return result.SpanSeconds >= spans * tau;
    }

    /// <summary>
    /// Within the first day (until a day and a window of history exist), slow growth may be the rising half of a daily
    /// cycle, which no test can tell from a leak before the cycle turns: a window confirms only when its rate's lower
    /// bound exceeds what a plausible cycle reaches (<see cref="DetectorSettings.CycleHoldRatePerHour"/>; 0 = no hold).
    /// </summary>
    private bool HeldForCycle(in HorizonResult result, double lifeSeconds)
    {
        // Every confirming horizon: the 43-min one sees a cycle's rising half as well as the slower ones do.
        if (!(_settings.CycleHoldRatePerHour > 0) || lifeSeconds >= 86400 + result.SpanSeconds)
        {
            return false;
        }

        return !(result.Lower * 3600 >= _settings.CycleHoldRatePerHour * Math.Abs(result.Last));
    }

    private LeakState Decide(bool tested, MultiResolutionSeries history, long warmEnd, DateTimeOffset now)
    {
        // The lifetime deceleration check needs enough history to see a start-up effect bend; the configured warm-up
        // counts towards it (a long warm-up has already cut the start-up off).
        var lifeSeconds = warmEnd == long.MaxValue ? 0 : (now.UtcTicks - warmEnd) / (double)TimeSpan.TicksPerSecond;
        var ageSeconds = _originTicks == long.MinValue ? 0 : (now.UtcTicks - Math.Max(_originTicks, _restartTicks)) / (double)TimeSpan.TicksPerSecond;
        var oldEnough = ageSeconds >= _settings.ConfirmMinAgeWindows * _windowSeconds;
        var anyPass = false;
        var suspect = false;
        var confirm = false;
        var confirmFast = false;
        var slowingAbove = false;
        for (var level = _results.Length - 1; level >= 0; level--)
        {
            var result = _results[level];

            // A longer horizon that sees the growth slowing down (warm-up, logarithmic growth, a fixed leak)
            // vetoes the shorter ones, which cannot see the bend yet.
            // Slowly wandering noise looks flat within a short window but shows on the next longer one:
            // the growth must also clear that horizon's noise.
            // Only a longer horizon that sees no trend lends its noise: one that sees the leak too has residuals shaped by it.
            var quietAbove = level + 1 < _results.Length && !_results[level + 1].Significant;
            var noiseAbove = quietAbove ? _results[level + 1].Noise : 0;
            var fast = result.Growth >= _settings.FastGrowthFactor * result.RequiredGrowth;
            if (result.Passed && !slowingAbove && result.Growth >= _settings.NoiseSigmas * noiseAbove && (!quietAbove || SpansNoiseAbove(level, result)))
            {
                anyPass = true;
                suspect |= level > 0 || _passStreak[level] >= 2;
                var confirms = level > 0 && _passStreak[level] >= _settings.ConfirmPasses && !HeldForCycle(result, lifeSeconds)
                    && (result.Points >= _settings.ConfirmMinPoints || result.SpanSeconds >= _confirmSpanSeconds || fast);
                confirm |= confirms;
                confirmFast |= confirms && fast;
            }

            slowingAbove |= result.Decelerating;
        }

        if (IsSettling(now) && _state is LeakState.Leaking or LeakState.Stable)
        {
            // Re-settling after LeakGuard's own disturbance: nothing to judge yet, and an alarm is not released for it.
            return _state;
        }

        _failStreak = anyPass ? 0 : _failStreak + 1;
        switch (_state)
        {
            case LeakState.Leaking:
                if (_failStreak >= _settings.ReleaseEvaluations)
                {
                    // Count the dismissal period afresh, so leaving Leaking takes release + dismiss evaluations.
                    _failStreak = 0;
                    return LeakState.Suspected;
                }

                return LeakState.Leaking;
            case LeakState.Suspected:
                if (confirm)
                {
                    // The whole life must not be slowing down, and a young signal (under ConfirmMinAgeWindows) only
                    // counts when the growth is fast or the lifetime comparison was sharp enough to see a slow-down.
                    var (decelerating, sharp, share) = JudgeLifetime(history, warmEnd);
                    var measuresSlowDown = share < _settings.LifetimeYoungShare && ageSeconds < _settings.LifetimeYoungWindows * _windowSeconds && !confirmFast && !sharp;
                    if (!decelerating && (oldEnough || confirmFast || sharp) && !measuresSlowDown)
                    {
                        return LeakState.Leaking;
                    }
                }

                return _failStreak >= _settings.DismissEvaluations ? LeakState.Stable : LeakState.Suspected;
            default:
                if (suspect)
                {
                    return LeakState.Suspected;
                }

                return tested ? LeakState.Stable : LeakState.InsufficientData;
        }
    }

    private LeakVerdict BuildVerdict(DateTimeOffset now, MultiResolutionSeries history, int levels, double? limit)
    {
        var decider = -1;
        for (var level = 0; level < levels; level++)
        {
            var r = _results[level];
            if (_state >= LeakState.Suspected ? r.Passed : (r.Outcome != HorizonOutcome.TooFewPoints && decider < 0))
            {
                decider = level;
            }
        }

        if (decider < 0)
        {
            return new LeakVerdict
            {
                Signal = Signal,
                State = _state,
                EvaluatedAt = now,
                Since = _since,
                CurrentValue = levels > 0 ? _results[0].Last : 0,
                Reason = IsSettling(now) ? VerdictReasons.Settling : _state == LeakState.InsufficientData ? VerdictReasons.WarmingUp : VerdictReasons.HeldByHysteresis,
            };
        }

        var d = _results[decider];
        var current = _results[0].Points > 0 ? _results[0].Last : d.Last;
        var rate = Math.Max(0, d.Slope);
        return new LeakVerdict
        {
            Signal = Signal,
            State = _state,
            EvaluatedAt = now,
            Since = _since,
            Horizon = history[decider].Width * _settings.PointsPerHorizon,
            GrowthRatePerSecond = d.Slope,
            GrowthRateLowerPerSecond = d.Lower,
            GrowthRateUpperPerSecond = d.Upper,
            GrowthSinceBaseline = d.Growth,
            PValue = d.PValue,
            CurrentValue = current,
            TimeToLimit = TimeTo(limit, current, rate),
            TimeToLimitEarliest = TimeTo(limit, current, d.Upper),
            TimeToLimitLatest = TimeTo(limit, current, d.Lower),
            Reason = _reasons[decider, (int)d.Outcome],
        };
    }

    private static TimeSpan? TimeTo(double? limit, double current, double rate)
    {
        if (limit is not { } l || !(rate > 0) || !double.IsFinite(l))
        {
            return null;
        }

        var seconds = (l - current) / rate;
        if (seconds <= 0)
        {
            return TimeSpan.Zero;
        }

        return seconds >= TimeSpan.MaxValue.TotalSeconds / 2 ? null : TimeSpan.FromSeconds(seconds);
    }
}
