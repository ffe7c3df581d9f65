namespace LeakGuard.Detection;

/// <summary>
/// The nested half of the comparison: a leak is any bounded explanation plus a rise that has not stopped. The best bounded
/// explanation's fit is kept as it is and a straight rise from an onset is fitted to what it leaves; the rise must go up.
/// Keeping the bounded fit fixed (rather than refitting it with the rise) can only understate the rise's gain, so the
/// evidence it adds is conservative.
/// </summary>
internal sealed partial class GrowthComparison
{
    private readonly double[] _fitted = new double[MaxPoints];
    private Shape _winner;

    private enum ShapeKind
    {
        Flat,
        Saturation,
        Logarithm,
        StoppedRise,
        Levels,
        Cycle,
        CycleSaturation,
        CycleStoppedRise,
        CycleLevels,
    }

    /// <summary>
    /// The score of the best bounded explanation (<see cref="_winner"/>, as the last <c>BestBounded</c> chose it) plus a
    /// straight rise from one of the onsets, counting the rise's rate and onset as two more parameters.
    /// </summary>
    private double NestedRiseBic(ReadOnlySpan<double> u, ReadOnlySpan<double> v, double level, double floor, double effective)
    {
        var n = u.Length;
        Span<double> coefficients = stackalloc double[LeastSquares.MaxColumns];
        var fitted = _fitted.AsSpan(0, n);
        FillFitted(u, v, level, fitted, coefficients);
        var remainder = _residualSource.AsSpan(0, n);
        for (var i = 0; i < n; i++)
        {
            remainder[i] = v[i] - fitted[i];
        }

        var ramp = _columns.AsSpan(0, n);
        var best = double.PositiveInfinity;
        for (var start = 0; start <= n - MinRampPoints; start += OnsetStep(n))
        {
            FillRamp(u, u[start], ramp);
            var rss = LeastSquares.Fit(remainder, ramp, 1, coefficients, out _);
            if (coefficients[1] > 0 && rss < best)
            {
                best = rss;
            }
        }

        return double.IsFinite(best) ? Bic(best, floor, n, effective, _winner.Parameters + 2) : double.PositiveInfinity;
    }

    private void FillFitted(ReadOnlySpan<double> u, ReadOnlySpan<double> v, double level, Span<double> fitted, Span<double> coefficients)
    {
        var n = u.Length;
        var curveCap = SaturationAmplitudeShare * Math.Abs(level);
        var cycleCap = CycleAmplitudeShare * Math.Abs(level);
        var (s, scale) = (_winner.Start, _winner.Scale);
        var column = _composite.AsSpan(0, n);
        var cap = curveCap;
        switch (_winner.Kind)
        {
            case ShapeKind.Saturation or ShapeKind.CycleSaturation:
                for (var i = 0; i < n; i++)
                {
                    column[i] = u[i] > s ? 1 - Math.Exp(-(u[i] - s) / scale) : 0;
                }

                break;
            case ShapeKind.Logarithm:
                for (var i = 0; i < n; i++)
                {
                    column[i] = u[i] > s ? Math.Log(1 + ((u[i] - s) / scale)) : 0;
                }

                cap = curveCap / Math.Log(1 + ((1 - s) / scale));
                break;
            case ShapeKind.StoppedRise or ShapeKind.CycleStoppedRise:
                for (var i = 0; i < n; i++)
                {
                    column[i] = Math.Clamp(u[i], s, scale) - s;
                }

                cap = curveCap / Math.Max(scale - s, 1e-9);
                break;
        }

        switch (_winner.Kind)
        {
            case ShapeKind.Saturation or ShapeKind.Logarithm or ShapeKind.StoppedRise:
                CappedFit(v, column, cap, coefficients);
                for (var i = 0; i < n; i++)
                {
                    fitted[i] = coefficients[0] + (coefficients[1] * column[i]);
                }

                break;
            case ShapeKind.CycleSaturation or ShapeKind.CycleStoppedRise:
                CycleAndCurveRss(v, cap, cycleCap, coefficients, fitted);
                break;
            case ShapeKind.Levels:
                LevelShiftRss(v, _winner.Levels, fitted);
                break;
            case ShapeKind.CycleLevels:
                CycleAndLevelShiftsRss(v, _winner.Levels, cycleCap, coefficients, fitted);
                break;
            case ShapeKind.Cycle:
                CappedCycle(v, cycleCap, coefficients, out var c, out var d);
                for (var i = 0; i < n; i++)
                {
                    fitted[i] = coefficients[0] + (c * _cosine[i]) + (d * _sine[i]);
                }

                break;
            default:
                var mean = 0.0;
                foreach (var x in v)
                {
                    mean += x;
                }

                fitted.Fill(mean / n);
                break;
        }
    }

    /// <summary>A bounded explanation's kind and the shape parameters its fit chose (its linear coefficients are refitted).</summary>
    private struct Shape
    {
        public ShapeKind Kind;
        public double Start;
        public double Scale;
        public int Levels;
        public int Parameters;
    }
}
