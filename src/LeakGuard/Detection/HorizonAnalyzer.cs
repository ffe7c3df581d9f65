namespace LeakGuard.Detection;

/// <summary>
/// Analyses one window of bucket floors: quantise, Mann–Kendall with tie-corrected and Hamed–Rao-corrected
/// variance, Theil–Sen slope with its interval, a correlation-span rule, minimum growth and a plateau guard.
/// Holds its scratch buffers, so an analysis allocates nothing; not thread-safe.
/// </summary>
internal sealed class HorizonAnalyzer
{
    private readonly DetectorSettings _settings;
    private readonly double _zInterval;
    private readonly double[] _t;
    private readonly double[] _y;
    private readonly double[] _scratch;
    private readonly double[] _ranks;
    private readonly int[] _index;
    private readonly double[] _pairs;
    private readonly double[] _partPairs;
    private readonly double[] _sums;
    private readonly double[] _squares;
    private readonly double[] _best;
    private readonly double[] _next;

    /// <summary>Initializes a new instance of the <see cref="HorizonAnalyzer"/> class.</summary>
    /// <param name="settings">The tuning.</param>
    /// <param name="maxPoints">The most points one analysis receives.</param>
    public HorizonAnalyzer(DetectorSettings settings, int maxPoints)
    {
        _settings = settings;
        _zInterval = NormalDistribution.Quantile(0.5 + (settings.Confidence / 2));
        _t = new double[maxPoints];
        _y = new double[maxPoints];
        _scratch = new double[maxPoints];
        _ranks = new double[maxPoints];
        _index = new int[maxPoints];
        _pairs = new double[maxPoints * (maxPoints - 1) / 2];
        _partPairs = new double[_pairs.Length];
        _sums = new double[maxPoints + 1];
        _squares = new double[maxPoints + 1];
        _best = new double[maxPoints + 1];
        _next = new double[maxPoints + 1];
    }

    /// <summary>Analyses the floors of consecutive buckets.</summary>
    /// <param name="points">The buckets, oldest first (at most the constructor's maximum).</param>
    /// <param name="profile">The signal's thresholds.</param>
    /// <param name="measureNoise">Whether to measure the noise even when the trend test fails (slower horizons lend it to faster ones, and it feeds the pool).</param>
    /// <param name="pooledLagOne">
    /// The lag-1 autocorrelation of this horizon's noise pooled over the signal's earlier history (NaN = none yet): with
    /// <see cref="DetectorSettings.PooledCorrelationSpans"/> it replaces the window's own estimate in the span rule, and with
    /// <see cref="DetectorSettings.PooledVarianceFloor"/> the Mann–Kendall variance is inflated at least by its AR(1) factor.
    /// </param>
    /// <param name="judgeShifts">Whether a passing window is also checked for growth made of a few level shifts (<see cref="DetectorSettings.LevelShiftRatio"/>).</param>
    /// <returns>The result.</returns>
    public HorizonResult Analyze(ReadOnlySpan<SignalPoint> points, SignalProfile profile, bool measureNoise = false, double pooledLagOne = double.NaN, bool judgeShifts = false)
    {
        var n = Math.Min(points.Length, _t.Length);
        if (n < Math.Max(_settings.MinPoints, 3))
        {
            return new HorizonResult { Outcome = HorizonOutcome.TooFewPoints, Points = n, PValue = 1, Last = n > 0 ? points[n - 1].Min : 0 };
        }

        points = points[^n..];
        var t = _t.AsSpan(0, n);
        var y = _y.AsSpan(0, n);
        var level = Load(points, profile, t, y);

        var span = t[n - 1];
        var last = points[n - 1].Min;
        var s = TrendStatistics.KendallS(y);
        var variance = TrendStatistics.KendallVariance(y, _scratch);
        var slope = TrendStatistics.SenSlope(t, y, _pairs, out var pairCount);
        var p = NormalDistribution.UpperTail(TrendStatistics.ZScore(s, variance));
        var outcome = HorizonOutcome.NotSignificant;
        var required = profile.MinGrowth(level);
        var decelerating = false;
        var significant = false;
        var noise = 0.0;
        var lag1 = 0.0;
        var lagLow = 0.0;
        var tailLag = 0.0;
        var tailPoints = 0;
        if (measureNoise || (s > 0 && p <= _settings.Alpha))
        {
            (lag1, lagLow, noise, tailLag, tailPoints) = PiecewiseNoise(t, y);
        }

        var pooled = pooledLagOne >= 0;

        if (s > 0 && p <= _settings.Alpha)
        {
            // The autocorrelation correction only inflates the variance, so it can only matter when the plain test passes.
            var sigma = RobustSigma(t, y, slope);
            decelerating = IsDecelerating(t, y, noise, _settings.RecentSlopeShare);
            var factor = TrendStatistics.HamedRaoFactor(t, y, slope, _scratch, _ranks, _index, out _);
            if (pooled && _settings.PooledVarianceFloor)
            {
                // The window's own factor comes from 64 detrended ranks and reads low when slowly wandering noise happens
                // to look smooth; the pooled correlation knows better.
                factor = Math.Max(factor, TrendStatistics.HamedRaoFactorAr1(pooledLagOne, n));
            }

            variance *= factor;
            p = NormalDistribution.UpperTail(TrendStatistics.ZScore(s, variance));
            required = Math.Max(_settings.NoiseSigmas * sigma, required);
            significant = p <= _settings.Alpha;

            // Growth far above the noise and the minimum is a leak whatever the noise's correlation; so is growth that
            // dwarfs the residuals themselves (a count's ±1 beat between the sampler and the code that creates threads
            // reads as strongly correlated, but cannot fake growth of a hundred).
            var strong = slope * span >= _settings.FastGrowthFactor * required || (_settings.CorrelationWaiverSigmas > 0 && slope * span >= _settings.CorrelationWaiverSigmas * sigma);
            var usePool = pooled && _settings.PooledCorrelationSpans > 0;
            var spans = usePool ? _settings.PooledCorrelationSpans : _settings.CorrelationSpans;
            outcome = Judge(n, strong ? 0 : usePool ? pooledLagOne : lag1, spans, s, p, slope, span, required, decelerating, y);
        }

        var (lower, upper) = TrendStatistics.SenConfidence(_pairs.AsSpan(0, pairCount), variance, _zInterval, pairCount / 2);
        if (outcome > HorizonOutcome.IntervalIncludesZero && !(lower > 0))
        {
            outcome = HorizonOutcome.IntervalIncludesZero;
        }

        if (outcome == HorizonOutcome.Growing && judgeShifts && IsLevelShifts(t, y))
        {
            outcome = HorizonOutcome.LevelShifts;
        }

        return new HorizonResult
        {
            Outcome = outcome,
            Points = n,
            SpanSeconds = span,
            Slope = slope,
            Lower = lower,
            Upper = upper,
            PValue = p,
            Growth = slope * span,
            RequiredGrowth = required,
            Last = last,
            Decelerating = decelerating,
            Noise = noise,
            LagOne = lag1,
            LagOneLow = lagLow,
            Significant = significant,
            TailLagOne = tailLag,
            TailPoints = tailPoints,
            PooledLagOne = pooled ? pooledLagOne : double.NaN,
        };
    }

    /// <summary>
    /// Judges growth over the signal's whole life since the warm-up, which short windows cannot see as a whole: whether
    /// the last third is clearly slower than the first (the signature of a long warm-up or logarithmic growth), and
    /// whether the comparison is sharp enough to have seen a slow-down to <see cref="DetectorSettings.LifetimePowerShare"/>
    /// of the faster third's rate.
    /// </summary>
    /// <param name="points">The whole post-warm-up history, oldest first (at most the constructor's maximum).</param>
    /// <param name="profile">The signal's thresholds.</param>
    /// <returns>Whether the life is decelerating, whether the check was sharp enough to tell, and the last third's slope as a share of the first's (1 when the first is not positive).</returns>
    public (bool Decelerating, bool Sharp, double Share) JudgeLifetime(ReadOnlySpan<SignalPoint> points, SignalProfile profile)
    {
        var n = Math.Min(points.Length, _t.Length);
        if (n < Math.Max(_settings.MinPoints, 9))
        {
            return (false, false, 1);
        }

        points = points[^n..];
        var t = _t.AsSpan(0, n);
        var y = _y.AsSpan(0, n);
        Load(points, profile, t, y);
        var (lag1, _, noise, _, _) = PiecewiseNoise(t, y);
        var (first, recent, tolerance) = CompareThirds(t, y, noise);
        var decelerating = recent < (_settings.LifetimeSlopeShare * first) - tolerance;
        // Sharp: precise enough to have seen a slow-down to LifetimePowerShare, and not measuring one. (Precision alone let
        // a long warm-up through when its thirds' ratio, ~0.6, came out near 0.8 by chance at the first chance to confirm.)
        // The errors assume independent floors; for the claim of precision they are widened by the floors' own correlation
        // (a slope's variance grows by (1 + ρ)/(1 − ρ) under AR(1) noise), or correlated noise looks precise.
        var rho = Math.Clamp(lag1, 0, _settings.LifetimeSharpMaxLagOne);
        var sharpTolerance = tolerance * Math.Sqrt((1 + rho) / (1 - rho));
        var sharp = recent >= _settings.LifetimePowerShare * first && sharpTolerance <= (1 - _settings.LifetimePowerShare) * Math.Max(first, recent);
        return (decelerating, sharp, first > 0 ? recent / first : 1);
    }

    /// <summary>Fills seconds since the first bucket and quantised floors; returns the median floor (the level).</summary>
    private double Load(ReadOnlySpan<SignalPoint> points, SignalProfile profile, Span<double> t, Span<double> y)
    {
        var n = points.Length;
        var origin = points[0].Timestamp.UtcTicks;
        for (var i = 0; i < n; i++)
        {
            t[i] = (points[i].Timestamp.UtcTicks - origin) / (double)TimeSpan.TicksPerSecond;
            y[i] = points[i].Min;
        }

        y.CopyTo(_scratch);
        var level = TrendStatistics.Median(_scratch.AsSpan(0, n));
        var quantum = profile.Quantum(level);
        if (quantum > 0)
        {
            // Jitter below the quantum becomes ties, which Mann–Kendall's variance accounts for.
            for (var i = 0; i < n; i++)
            {
                y[i] = Math.Round(y[i] / quantum) * quantum;
            }
        }

        return level;
    }

    private HorizonOutcome Judge(int n, double lag1, double spans, long s, double p, double slope, double span, double required, bool decelerating, Span<double> y)
    {
        // A window shorter than ~10 noise correlation times sees random-walk excursions as trends
        // (the first simulation: 28 % false alarms at φ = 0.98 on 32–64-point windows without this rule).
        if (lag1 >= 1 || (lag1 > 0 && n < spans * (-1 / Math.Log(lag1))))
        {
            return HorizonOutcome.TooCorrelated;
        }

        if (s <= 0 || p > _settings.Alpha)
        {
            return HorizonOutcome.NotSignificant;
        }

        var growth = slope * span;
        if (growth < required || !(growth > 0))
        {
            return HorizonOutcome.TooLittleGrowth;
        }

        // The slope interval (computed by the caller, after the pair slopes are reused here) is checked last.
        return !decelerating && RecentHalfGrows(y) ? HorizonOutcome.Growing : HorizonOutcome.Plateau;
    }

    /// <summary>
    /// Whether the last third grows clearly slower than the whole window: its Sen slope is below
    /// <see cref="DetectorSettings.RecentSlopeShare"/> of the window's by more than two standard errors
    /// (so noisy leaks are not rejected by chance, while a clean saturating warm-up or log growth is).
    /// </summary>
    private bool IsDecelerating(Span<double> t, Span<double> y, double sigma, double share)
    {
        var (first, recent, tolerance) = CompareThirds(t, y, sigma);
        return recent < (share * first) - tolerance;
    }

    /// <summary>The Sen slopes of the first and last thirds and two standard errors of their difference.</summary>
    private (double First, double Recent, double Tolerance) CompareThirds(Span<double> t, Span<double> y, double sigma)
    {
        var n = y.Length;
        var third = Math.Max(3, n / 3);
        var first = ThirdSlope(t[..third], y[..third], sigma, out var firstError);
        var recent = ThirdSlope(t[(n - third)..], y[(n - third)..], sigma, out var recentError);
        return (first, recent, 2 * Math.Sqrt((firstError * firstError) + (recentError * recentError)));
    }

    private double ThirdSlope(Span<double> t, Span<double> y, double sigma, out double standardError)
    {
        double mean = 0;
        foreach (var v in t)
        {
            mean += v;
        }

        mean /= t.Length;
        double sxx = 0;
        foreach (var v in t)
        {
            sxx += (v - mean) * (v - mean);
        }

        standardError = sxx > 0 ? sigma / Math.Sqrt(sxx) : 0;
        return TrendStatistics.SenSlope(t, y, _partPairs, out _);
    }

    /// <summary>
    /// Whether a piecewise-constant fit with at most <see cref="DetectorSettings.LevelShiftSegments"/> levels (each of
    /// at least two floors) leaves <see cref="DetectorSettings.LevelShiftRatio"/> times less squared error than the
    /// least-squares line: growth made of a few load steps. A steady leak, even a staircase of many small jumps, fits a
    /// line better than a few levels (a ramp of range R cut into k levels leaves (R/k)²/12 per floor).
    /// </summary>
    private bool IsLevelShifts(Span<double> t, Span<double> y)
    {
        var n = y.Length;
        var segments = _settings.LevelShiftSegments;
        if (!(_settings.LevelShiftRatio > 0) || segments < 2 || n < 2 * segments)
        {
            return false;
        }

        // Least-squares line, centred for accuracy.
        double meanT = 0;
        double meanY = 0;
        for (var i = 0; i < n; i++)
        {
            meanT += t[i];
            meanY += y[i];
        }

        meanT /= n;
        meanY /= n;
        double sxx = 0;
        double sxy = 0;
        double syy = 0;
        _sums[0] = 0;
        _squares[0] = 0;
        for (var i = 0; i < n; i++)
        {
            var dt = t[i] - meanT;
            var dy = y[i] - meanY;
            sxx += dt * dt;
            sxy += dt * dy;
            syy += dy * dy;
            _sums[i + 1] = _sums[i] + dy;
            _squares[i + 1] = _squares[i] + (dy * dy);
        }

        var lineError = sxx > 0 ? syy - (sxy * sxy / sxx) : syy;

        // Optimal segmentation by dynamic programming: _best[j] = least error of the first j floors in the current number of levels.
        for (var j = 0; j <= n; j++)
        {
            _best[j] = j >= 2 ? SegmentError(0, j) : double.PositiveInfinity;
        }

        for (var k = 2; k <= segments; k++)
        {
            for (var j = 0; j <= n; j++)
            {
                var least = double.PositiveInfinity;
                for (var i = 2 * (k - 1); i <= j - 2; i++)
                {
                    var e = _best[i] + SegmentError(i, j);
                    if (e < least)
                    {
                        least = e;
                    }
                }

                _next[j] = Math.Min(least, _best[j]);
            }

            _next.AsSpan(0, n + 1).CopyTo(_best);
        }

        return lineError > _settings.LevelShiftRatio * Math.Max(_best[n], 0);
    }

    private double SegmentError(int from, int to)
    {
        var sum = _sums[to] - _sums[from];
        return _squares[to] - _squares[from] - (sum * sum / (to - from));
    }

    private bool RecentHalfGrows(Span<double> y)
    {
        var half = y[(y.Length / 2)..];
        var s = TrendStatistics.KendallS(half);
        var variance = TrendStatistics.KendallVariance(half, _scratch);
        return s > 0 && NormalDistribution.UpperTail(TrendStatistics.ZScore(s, variance)) <= _settings.RecentAlpha;
    }

    /// <summary>
    /// Estimates the noise's lag-1 autocorrelation from residuals of separate Sen lines through each half, so a leak
    /// that starts mid-window (a bend) is not mistaken for slowly wandering noise. Also returns the last half's own
    /// uncorrected lag-1 and length (the piece the detector pools).
    /// </summary>
    private (double LagOne, double LagOneLow, double Sigma, double TailLagOne, int TailPoints) PiecewiseNoise(Span<double> t, Span<double> y)
    {
        var n = y.Length;
        var residuals = _ranks.AsSpan(0, n);
        var half = n / 2;
        for (var part = 0; part < 2; part++)
        {
            var start = part * half;
            var end = part == 1 ? n : half;
            var pt = t[start..end];
            var py = y[start..end];
            var b = TrendStatistics.SenSlope(pt, py, _partPairs, out _);
            for (var i = start; i < end; i++)
            {
                residuals[i] = y[i] - (b * t[i]);
            }

            residuals[start..end].CopyTo(_scratch);
            var a = TrendStatistics.Median(_scratch.AsSpan(0, end - start));
            for (var i = start; i < end; i++)
            {
                residuals[i] -= a;
            }
        }

        double num = 0;
        double den = 0;
        var halfLow = double.PositiveInfinity;
        var tailRho = 0.0;
        for (var part = 0; part < 2; part++)
        {
            var start = part * half;
            var end = part == 1 ? n : half;
            double partNum = 0;
            double partDen = 0;
            for (var i = start; i < end; i++)
            {
                partDen += residuals[i] * residuals[i];
                if (i > start)
                {
                    partNum += residuals[i] * residuals[i - 1];
                }
            }

            num += partNum + (part == 1 && half > 0 ? residuals[half] * residuals[half - 1] : 0);
            den += partDen;
            var partRho = partDen > 0 ? partNum / partDen : 0;
            tailRho = partRho;
            halfLow = Math.Min(halfLow, partRho + ((1 + (3 * partRho)) / (end - start)));
        }

        if (!(den > 0))
        {
            return (0, 0, 0, 0, 0);
        }

        // The lag-1 estimate from a short detrended piece is biased low by about (1 + 3ρ)/m (Kendall, 1954).
        var rho = num / den;
        for (var i = 0; i < n; i++)
        {
            _scratch[i] = Math.Abs(residuals[i]);
        }

        return (rho + ((1 + (3 * rho)) / half), halfLow, 1.4826 * TrendStatistics.Median(_scratch.AsSpan(0, n)), tailRho, n - half);
    }

    private double RobustSigma(Span<double> t, Span<double> y, double slope)
    {
        var n = y.Length;
        var residuals = _scratch.AsSpan(0, n);
        for (var i = 0; i < n; i++)
        {
            residuals[i] = y[i] - (slope * t[i]);
        }

        var center = TrendStatistics.Median(residuals);
        for (var i = 0; i < n; i++)
        {
            residuals[i] = Math.Abs(residuals[i] - center);
        }

        return 1.4826 * TrendStatistics.Median(residuals);
    }
}
