namespace LeakGuard.Detection;

/// <summary>
/// The bounded models that combine a daily cycle with another bounded shape: real signals stack them (a cycle on top of
/// load steps, a warm-up or a cache filling under a cycle), and a bounded side that can only fit one at a time leaves the
/// other's shape to the rising side. Each keeps its parts' caps.
/// </summary>
internal sealed partial class GrowthComparison
{
    /// <summary>Rounds of alternating between the cycle and the level shifts (each round can only lower the misfit).</summary>
    private const int CompositeRounds = 3;

    private readonly double[] _composite = new double[3 * MaxPoints];
    private readonly double[] _levels = new double[MaxPoints];
    private readonly double[] _remainder = new double[MaxPoints];

    /// <summary>
    /// Daily cycle + a curve levelling off, daily cycle + a rise that stopped, daily cycle + 2–5 levels; lowers
    /// <paramref name="best"/> when one fits better. Needs <see cref="_cosine"/> and <see cref="_sine"/> filled for
    /// <paramref name="u"/> (the plain cycle's fit does that).
    /// </summary>
    private void BestCycleComposite(ReadOnlySpan<double> u, ReadOnlySpan<double> v, double level, double floor, double effective, ref double best, ref BoundedExplanation explanation)
    {
        var n = u.Length;
        Span<double> coefficients = stackalloc double[LeastSquares.MaxColumns];
        var cycleCap = CycleAmplitudeShare * Math.Abs(level);
        var curveCap = SaturationAmplitudeShare * Math.Abs(level);
        var step = OnsetStep(n);
        var curve = _composite.AsSpan(0, n);

        var curveRss = double.PositiveInfinity;
        for (var start = 0; start <= n - MinCurvePoints; start += step)
        {
            var s = u[start];
            for (var k = 0; k < _tauCount; k++)
            {
                for (var i = 0; i < n; i++)
                {
                    curve[i] = u[i] > s ? 1 - Math.Exp(-(u[i] - s) / _taus[k]) : 0;
                }

                curveRss = Math.Min(curveRss, CycleAndCurveRss(v, curveCap, cycleCap, coefficients));
            }

            for (var stop = start + MinCurvePoints; stop <= n - 1 - MinRampPoints; stop += step)
            {
                var e = u[stop];
                for (var i = 0; i < n; i++)
                {
                    curve[i] = Math.Clamp(u[i], s, e) - s;
                }

                curveRss = Math.Min(curveRss, CycleAndCurveRss(v, curveCap / Math.Max(e - s, 1e-9), cycleCap, coefficients));
            }
        }

        var bic = Bic(curveRss, floor, n, effective, 6);
        if (bic < best)
        {
            best = bic;
            explanation = BoundedExplanation.CycleAndLevellingOff;
        }

        for (var levels = 2; levels <= MaxLevels; levels++)
        {
            bic = Bic(CycleAndLevelShiftsRss(v, levels, cycleCap, coefficients), floor, n, effective, (2 * levels) + 1);
            if (bic < best)
            {
                best = bic;
                explanation = BoundedExplanation.CycleAndLevelShifts;
            }
        }
    }

    /// <summary>
    /// Fits a daily cycle plus the curve in the first n entries of <see cref="_composite"/>, each capped: unconstrained
    /// first; when a cap binds, the cycle keeps its phase at most at its cap and the curve is refitted under its own.
    /// </summary>
    private double CycleAndCurveRss(ReadOnlySpan<double> v, double curveCap, double cycleCap, Span<double> coefficients)
    {
        var n = v.Length;
        var columns = _composite.AsSpan(0, 3 * n);
        _cosine.AsSpan(0, n).CopyTo(columns[n..]);
        _sine.AsSpan(0, n).CopyTo(columns[(2 * n)..]);
        var rss = LeastSquares.Fit(v, columns, 3, coefficients, out _);
        var amplitude = Math.Sqrt((coefficients[2] * coefficients[2]) + (coefficients[3] * coefficients[3]));
        if (double.IsFinite(rss) && Math.Abs(coefficients[1]) <= curveCap && amplitude <= cycleCap)
        {
            return rss;
        }

        var scale = amplitude > cycleCap ? cycleCap / amplitude : 1;
        var (c, d) = (coefficients[2] * scale, coefficients[3] * scale);
        if (!double.IsFinite(c) || !double.IsFinite(d))
        {
            (c, d) = (0, 0);
        }

        var shifted = _remainder.AsSpan(0, n);
        for (var i = 0; i < n; i++)
        {
            shifted[i] = v[i] - (c * _cosine[i]) - (d * _sine[i]);
        }

        return CappedFit(shifted, columns[..n], curveCap, coefficients);
    }

    /// <summary>
    /// Fits a daily cycle plus <paramref name="levels"/> levels by alternating: the cycle on what the levels leave, the
    /// levels (exactly, by dynamic programming) on what the cycle leaves.
    /// </summary>
    private double CycleAndLevelShiftsRss(ReadOnlySpan<double> v, int levels, double cycleCap, Span<double> coefficients)
    {
        var n = v.Length;
        if (levels * MinSegment > n)
        {
            return double.PositiveInfinity;
        }

        var remainder = _remainder.AsSpan(0, n);
        var fitted = _levels.AsSpan(0, n);
        var rss = CappedCycle(v, cycleCap, coefficients, out var c, out var d);
        for (var round = 0; round < CompositeRounds; round++)
        {
            for (var i = 0; i < n; i++)
            {
                remainder[i] = v[i] - (c * _cosine[i]) - (d * _sine[i]);
            }

            if (!double.IsFinite(LevelShiftRss(remainder, levels, fitted)))
            {
                return double.PositiveInfinity;
            }

            for (var i = 0; i < n; i++)
            {
                remainder[i] = v[i] - fitted[i];
            }

            rss = Math.Min(rss, CappedCycle(remainder, cycleCap, coefficients, out c, out d));
        }

        return rss;
    }

    /// <summary>A daily cycle alone with its amplitude capped (phase kept); its two coefficients out.</summary>
    private double CappedCycle(ReadOnlySpan<double> v, double cap, Span<double> coefficients, out double c, out double d)
    {
        var n = v.Length;
        var columns = _composite.AsSpan(n, 2 * n);
        _cosine.AsSpan(0, n).CopyTo(columns);
        _sine.AsSpan(0, n).CopyTo(columns[n..]);
        var rss = LeastSquares.Fit(v, columns, 2, coefficients, out _);
        (c, d) = (coefficients[1], coefficients[2]);
        var amplitude = Math.Sqrt((c * c) + (d * d));
        if (double.IsFinite(rss) && amplitude <= cap)
        {
            return rss;
        }

        var scale = cap / amplitude;
        (c, d) = double.IsFinite(scale) ? (c * scale, d * scale) : (0, 0);
        var mean = 0.0;
        for (var i = 0; i < n; i++)
        {
            mean += v[i] - (c * _cosine[i]) - (d * _sine[i]);
        }

        mean /= n;
        var sum = 0.0;
        for (var i = 0; i < n; i++)
        {
            var r = v[i] - mean - (c * _cosine[i]) - (d * _sine[i]);
            sum += r * r;
        }

        return sum;
    }
}
