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
    }

    /// <summary>Analyses the floors of consecutive buckets.</summary>
    /// <param name="points">The buckets, oldest first (at most the constructor's maximum).</param>
    /// <param name="profile">The signal's thresholds.</param>
    /// <returns>The result.</returns>
    public HorizonResult Analyze(ReadOnlySpan<SignalPoint> points, SignalProfile profile)
    {
        var n = Math.Min(points.Length, _t.Length);
        if (n < Math.Max(_settings.MinPoints, 3))
        {
            return new HorizonResult { Outcome = HorizonOutcome.TooFewPoints, Points = n, PValue = 1, Last = n > 0 ? points[n - 1].Min : 0 };
        }

        points = points[^n..];
        var t = _t.AsSpan(0, n);
        var y = _y.AsSpan(0, n);
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

        var span = t[n - 1];
        var last = points[n - 1].Min;
        var s = TrendStatistics.KendallS(y);
        var variance = TrendStatistics.KendallVariance(y, _scratch);
        var slope = TrendStatistics.SenSlope(t, y, _pairs, out var pairCount);
        var inflation = TrendStatistics.HamedRaoFactor(t, y, slope, _scratch, _ranks, _index, out var lag1);
        var corrected = variance * inflation;
        var p = NormalDistribution.UpperTail(TrendStatistics.ZScore(s, corrected));
        var (lower, upper) = TrendStatistics.SenConfidence(_pairs.AsSpan(0, pairCount), corrected, _zInterval);
        var growth = slope * span;
        var sigma = RobustSigma(t, y, slope);
        var required = Math.Max(_settings.NoiseSigmas * sigma, profile.MinGrowth(level));

        var outcome = Judge(n, lag1, s, p, lower, growth, required, t, y, slope);
        return new HorizonResult
        {
            Outcome = outcome,
            Points = n,
            SpanSeconds = span,
            Slope = slope,
            Lower = lower,
            Upper = upper,
            PValue = p,
            Growth = growth,
            RequiredGrowth = required,
            Last = last,
        };
    }

    private HorizonOutcome Judge(int n, double lag1, long s, double p, double lower, double growth, double required, Span<double> t, Span<double> y, double slope)
    {
        // A window shorter than ~10 noise correlation times sees random-walk excursions as trends
        // (the first simulation: 28 % false alarms at φ = 0.98 on 32–64-point windows without this rule).
        if (lag1 > 0 && lag1 < 1 && n < _settings.CorrelationSpans * (-1 / Math.Log(lag1)))
        {
            return HorizonOutcome.TooCorrelated;
        }

        if (lag1 >= 1)
        {
            return HorizonOutcome.TooCorrelated;
        }

        if (s <= 0 || p > _settings.Alpha)
        {
            return HorizonOutcome.NotSignificant;
        }

        if (!(lower > 0))
        {
            return HorizonOutcome.IntervalIncludesZero;
        }

        if (growth < required || !(growth > 0))
        {
            return HorizonOutcome.TooLittleGrowth;
        }

        return IsStillGrowing(t, y, slope) ? HorizonOutcome.Growing : HorizonOutcome.Plateau;
    }

    private bool IsStillGrowing(Span<double> t, Span<double> y, double slope)
    {
        var n = y.Length;
        var third = n / 3;
        var recent = TrendStatistics.SenSlope(t[(n - third)..], y[(n - third)..], _pairs, out _);
        if (!(recent >= _settings.RecentSlopeShare * slope))
        {
            return false;
        }

        var half = y[(n / 2)..];
        var s = TrendStatistics.KendallS(half);
        var variance = TrendStatistics.KendallVariance(half, _scratch);
        return s > 0 && NormalDistribution.UpperTail(TrendStatistics.ZScore(s, variance)) <= _settings.RecentAlpha;
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
