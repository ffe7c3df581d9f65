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
    private readonly double[] _basisInverse = new double[9];
    private readonly double[] _valueBasis = new double[3];
    private double _valueResidual;

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
        var turns = PrepareCycleBasis(v);
        for (var start = 0; turns && start <= n - MinCurvePoints; start += step)
        {
            var s = u[start];
            for (var k = 0; k < _tauCount; k++)
            {
                FillLevellingOff(u, s, _taus[k], curve);
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

        for (var levels = 2; turns && levels <= MaxLevels; levels++)
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
    /// first (by projecting the curve and the values off the cycle's basis, prepared once per assessment in
    /// <see cref="PrepareCycleBasis"/>); when a cap binds, the cycle keeps its phase at most at its cap and the curve is
    /// refitted under its own.
    /// </summary>
    private double CycleAndCurveRss(ReadOnlySpan<double> v, double curveCap, double cycleCap, Span<double> coefficients, Span<double> fitted = default)
    {
        var n = v.Length;
        var curve = _composite.AsSpan(0, n);
        double sk = 0, skc = 0, sks = 0, skk = 0, skv = 0;
        for (var i = 0; i < n; i++)
        {
            var k = curve[i];
            sk += k;
            skc += k * _cosine[i];
            sks += k * _sine[i];
            skk += k * k;
            skv += k * v[i];
        }

        var g = _basisInverse;
        var (b0, b1, b2) = ((g[0] * sk) + (g[1] * skc) + (g[2] * sks), (g[3] * sk) + (g[4] * skc) + (g[5] * sks), (g[6] * sk) + (g[7] * skc) + (g[8] * sks));
        var kk = skk - ((sk * b0) + (skc * b1) + (sks * b2));
        var kv = skv - ((sk * _valueBasis[0]) + (skc * _valueBasis[1]) + (sks * _valueBasis[2]));
        var slope = kk > 1e-12 * Math.Max(skk, 1e-300) ? kv / kk : 0;
        coefficients[0] = _valueBasis[0] - (slope * b0);
        coefficients[1] = slope;
        var (c, d) = (_valueBasis[1] - (slope * b1), _valueBasis[2] - (slope * b2));
        var amplitude = Math.Sqrt((c * c) + (d * d));
        if (Math.Abs(slope) <= curveCap && amplitude <= cycleCap)
        {
            for (var i = 0; i < fitted.Length; i++)
            {
                fitted[i] = coefficients[0] + (slope * curve[i]) + (c * _cosine[i]) + (d * _sine[i]);
            }

            return Math.Max(0, _valueResidual - (slope * kv));
        }

        var scale = amplitude > cycleCap ? cycleCap / amplitude : 1;
        (c, d) = double.IsFinite(scale) ? (c * scale, d * scale) : (0, 0);
        var shifted = _remainder.AsSpan(0, n);
        for (var i = 0; i < n; i++)
        {
            shifted[i] = v[i] - (c * _cosine[i]) - (d * _sine[i]);
        }

        var capped = CappedFit(shifted, curve, curveCap, coefficients);
        for (var i = 0; i < fitted.Length; i++)
        {
            fitted[i] = coefficients[0] + (coefficients[1] * curve[i]) + (c * _cosine[i]) + (d * _sine[i]);
        }

        return capped;
    }

    /// <summary>
    /// The cycle's basis (1, cos, sin) on these floors: the inverse of its Gram matrix, the values' coefficients on it and
    /// what it leaves of their sum of squares. False when the basis is degenerate (a span too short for the cycle to turn).
    /// </summary>
    private bool PrepareCycleBasis(ReadOnlySpan<double> v)
    {
        var n = v.Length;
        double sc = 0, ss = 0, scc = 0, scs = 0, sss = 0, sv = 0, scv = 0, ssv = 0, svv = 0;
        for (var i = 0; i < n; i++)
        {
            var (c, s) = (_cosine[i], _sine[i]);
            sc += c;
            ss += s;
            scc += c * c;
            scs += c * s;
            sss += s * s;
            sv += v[i];
            scv += c * v[i];
            ssv += s * v[i];
            svv += v[i] * v[i];
        }

        // The symmetric 3×3 inverse by cofactors.
        var (a, b, e, d, f, i2) = ((double)n, sc, ss, scc, scs, sss);
        var c00 = (d * i2) - (f * f);
        var c01 = (e * f) - (b * i2);
        var c02 = (b * f) - (e * d);
        var c11 = (a * i2) - (e * e);
        var c12 = (b * e) - (a * f);
        var c22 = (a * d) - (b * b);
        var det = (a * c00) + (b * c01) + (e * c02);
        if (!(det > 1e-12 * a * Math.Max(d * i2, 1e-300)))
        {
            return false;
        }

        var g = _basisInverse;
        (g[0], g[1], g[2]) = (c00 / det, c01 / det, c02 / det);
        (g[3], g[4], g[5]) = (c01 / det, c11 / det, c12 / det);
        (g[6], g[7], g[8]) = (c02 / det, c12 / det, c22 / det);
        _valueBasis[0] = (g[0] * sv) + (g[1] * scv) + (g[2] * ssv);
        _valueBasis[1] = (g[3] * sv) + (g[4] * scv) + (g[5] * ssv);
        _valueBasis[2] = (g[6] * sv) + (g[7] * scv) + (g[8] * ssv);
        _valueResidual = svv - ((sv * _valueBasis[0]) + (scv * _valueBasis[1]) + (ssv * _valueBasis[2]));
        return true;
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

    /// <summary>A daily cycle alone with its amplitude capped (phase kept); its two coefficients out (the intercept in coefficients[0]).</summary>
    private double CappedCycle(ReadOnlySpan<double> v, double cap, Span<double> coefficients, out double c, out double d)
    {
        var n = v.Length;
        double sv = 0, scv = 0, ssv = 0, svv = 0;
        for (var i = 0; i < n; i++)
        {
            sv += v[i];
            scv += _cosine[i] * v[i];
            ssv += _sine[i] * v[i];
            svv += v[i] * v[i];
        }

        var g = _basisInverse;
        coefficients[0] = (g[0] * sv) + (g[1] * scv) + (g[2] * ssv);
        (c, d) = ((g[3] * sv) + (g[4] * scv) + (g[5] * ssv), (g[6] * sv) + (g[7] * scv) + (g[8] * ssv));
        var rss = Math.Max(0, svv - ((sv * coefficients[0]) + (scv * c) + (ssv * d)));
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
