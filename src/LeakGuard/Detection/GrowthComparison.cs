namespace LeakGuard.Detection;

/// <summary>
/// Weighs a steady rise against bounded explanations of a signal's floors (the detector's one decision, see
/// docs/detection.md). Bounded: a constant; a curve levelling off from some onset (exponential approach, time constant at
/// most <see cref="SaturationSpanShare"/> of the span, so the bend must show within the watched life); logarithmic
/// growth; up to <see cref="MaxLevels"/> level shifts; a 24-h cycle whose amplitude is at most
/// <see cref="CycleAmplitudeShare"/> of its own mean level; a daily cycle on top of a levelling-off curve or of level shifts
/// (GrowthComparison.Composite.cs). Unbounded: a straight rise from an onset to now on a constant, on one held level shift,
/// on a warm-up curve (once the life outlasts the longest warm-up) or on a daily cycle (once it spans a day). Each model is
/// scored by the Bayesian information criterion with the sample size reduced for autocorrelated noise; the evidence is half
/// the difference of the best of each side. Not thread-safe; one instance per detector (it owns its scratch buffers, so an
/// assessment allocates nothing).
/// </summary>
internal sealed partial class GrowthComparison
{
    /// <summary>The most floors one assessment compares.</summary>
    public const int MaxPoints = 64;

    /// <summary>
    /// The longest time constant a levelling-off curve may have, as a share of the span; never longer than the longest
    /// warm-up (<see cref="LongestWarmUpWindows"/>).
    /// </summary>
    public const double SaturationSpanShare = 0.3;

    /// <summary>
    /// The longest time constant a warm-up may have whatever the span, in windows (<see cref="DetectionOptions.Window"/>;
    /// 36 × 10 min = 6 h by default): a process's JIT, pools and caches settle within hours, so a rise that keeps its pace
    /// for many hours is no warm-up, while one younger than this could be.
    /// </summary>
    public const double LongestWarmUpWindows = 36;

    /// <summary>The largest rise a levelling-off curve may make, as a share of the level (a warm-up at most doubles the footprint).</summary>
    public const double SaturationAmplitudeShare = 1.0;

    /// <summary>
    /// The share of the floors' range below which two models' misfits count as equal: real warm-ups, cycles and steps are
    /// not exact exponentials, sinusoids or steps, and on clean data any shape error would otherwise read as a trend.
    /// </summary>
    public const double ShapeTolerance = 0.02;

    /// <summary>The largest daily-cycle amplitude (half its peak-to-peak range) as a share of the level.</summary>
    public const double CycleAmplitudeShare = 0.3;

    /// <summary>The most levels (shifts + 1) of the level-shift model.</summary>
    public const int MaxLevels = 5;

    /// <summary>The fewest floors an assessment compares.</summary>
    public const int MinPoints = 16;

    private const int MinSegment = 3;
    /// <summary>
    /// The fewest floors a rise must span (from its onset to now) to count: a step or a spike that has just happened is a
    /// level shift until it keeps rising.
    /// </summary>
    internal const int MinRampPoints = 8;

    private const int MinCurvePoints = 3;
    private const int OnsetCandidates = 16;
    /// <summary>The daily cycle's period, in seconds.</summary>
    internal const double Day = 86400;

    // How many times a binding cycle cap follows the refitted level (CycleRss).
    private const int CapRounds = 4;
    private static readonly double[] TauShares = [0.02, 0.04, 0.08, 0.16, 0.32, 0.64, 1.0];
    private static readonly double[] LogTauShares = [0.005, 0.01, 0.02, 0.04, 0.08];
    private readonly double[] _taus = new double[TauShares.Length + 10];
    private int _tauCount;

    // The longest warm-up time constant, as a share of the span (set by Assess).
    private double _longest;

    // The value the scaled floors' zero stands for, in range units (a fitted intercept plus this is a level).
    private double _origin;

    private readonly double[] _u = new double[MaxPoints];
    private readonly double[] _y = new double[MaxPoints];
    private readonly double[] _columns = new double[(LeastSquares.MaxColumns - 1) * MaxPoints];
    private readonly double[] _residualSource = new double[MaxPoints];
    private readonly double[] _bestResiduals = new double[MaxPoints];
    private readonly double[] _prefix = new double[MaxPoints + 1];
    private readonly double[] _prefixSquares = new double[MaxPoints + 1];
    private readonly double[] _cost = new double[MaxLevels * MaxPoints];
    private readonly double[] _cosine = new double[MaxPoints];
    private readonly double[] _sine = new double[MaxPoints];
    private readonly double[] _warmUpCurves = new double[TauShares.Length * MaxPoints];
    private readonly int[] _split = new int[MaxLevels * MaxPoints];

    /// <summary>Compares the models on floors <paramref name="y"/> at times <paramref name="t"/> (seconds, increasing).</summary>
    /// <param name="t">The floors' times.</param>
    /// <param name="y">The floors (at most <see cref="MaxPoints"/>).</param>
    /// <param name="quantum">The resolution of the values (rounding noise floors the residuals); 0 for none.</param>
    /// <param name="longestWarmUpSeconds">The longest warm-up time constant (see <see cref="LongestWarmUpWindows"/>).</param>
    /// <param name="evidenceOfInterest">
    /// The least evidence any decision needs: when a rise does not beat even a flat level by this much, the bounded models are
    /// not fitted (the evidence returned is then that upper bound, and the explanation <see cref="BoundedExplanation.Flat"/>).
    /// </param>
    /// <returns>The assessment; <see cref="GrowthAssessment.Judged"/> is false for fewer than <see cref="MinPoints"/> floors or a zero span.</returns>
    public GrowthAssessment Assess(ReadOnlySpan<double> t, ReadOnlySpan<double> y, double quantum, double longestWarmUpSeconds, double evidenceOfInterest = double.NegativeInfinity)
    {
        var n = Math.Min(Math.Min(t.Length, y.Length), MaxPoints);
        if (n < MinPoints || !(t[n - 1] > t[0]))
        {
            return default;
        }

        var span = t[n - 1] - t[0];
        var lo = double.PositiveInfinity;
        var hi = double.NegativeInfinity;
        for (var i = 0; i < n; i++)
        {
            if (!double.IsFinite(y[i]) || !double.IsFinite(t[i]))
            {
                return default;
            }

            lo = Math.Min(lo, y[i]);
            hi = Math.Max(hi, y[i]);
        }

        var level = MedianOf(y[..n]);
        var range = hi - lo;
        if (!(range > 0) || !double.IsFinite(range) || !double.IsFinite(span))
        {
            // A constant (or a range beyond double's) is flat: nothing to compare.
            return new GrowthAssessment { Points = n, SpanSeconds = span, Evidence = double.NegativeInfinity, Explanation = BoundedExplanation.Flat, SlopeError = double.PositiveInfinity, Last = y[n - 1], Level = level };
        }

        // The models are fitted to values scaled to their range (offset by the mean), so any magnitude is exact enough and
        // the comparison does not depend on the unit; slopes are scaled back at the end.
        var mean = 0.0;
        for (var i = 0; i < n; i++)
        {
            mean += (y[i] - lo) / range;
        }

        mean /= n;
        _origin = (lo / range) + mean;
        for (var i = 0; i < n; i++)
        {
            _u[i] = (t[i] - t[0]) / span;
            _y[i] = ((y[i] - lo) / range) - mean;
        }

        var u = _u.AsSpan(0, n);
        var v = _y.AsSpan(0, n);
        var scaledLevel = level / range;

        // Time constants relative to the span and never longer than the longest warm-up (a rise that keeps its pace longer
        // is no warm-up, SignalDetector.OutlastsWarmUp says, so no curve explains it as one), and while the life is younger
        // than that warm-up allows, that warm-up's own too.
        _tauCount = 0;
        var longest = _longest = longestWarmUpSeconds / span;
        var top = Math.Min(SaturationSpanShare, longest);
        foreach (var share in TauShares)
        {
            _taus[_tauCount++] = share * top;
        }

        // Beyond the span's share, doublings up to that warm-up's: the refinement around the best grid value searches a factor
        // of two either side, so no time constant in between is out of reach (two values, the geometric mean and the
        // warm-up's, left a gap that a warm-up with a time constant of about the life's fell into).
        for (var tau = 2 * SaturationSpanShare; longest > SaturationSpanShare; tau *= 2)
        {
            if (tau >= longest || _tauCount == _taus.Length - 1)
            {
                _taus[_tauCount++] = longest;
                break;
            }

            _taus[_tauCount++] = tau;
        }

        // Rounding to the quantum adds variance q²/12 per point that no model can explain, and shapes are only approximate:
        // the residuals' floor (in range units).
        var q = quantum / range;
        var rssFloor = n * Math.Max(q * q / 12, ShapeTolerance * ShapeTolerance);

        // The rising side first: its residuals give the noise correlation both sides are scored with.
        var rise = BestRise(u, v, scaledLevel, span, rssFloor);
        // The noise both sides are scored with is the residuals plus, where they are smaller, the independent tolerance that
        // floors them: its lag-1 correlation is the residuals' weighted by their share of that variance. A clean staircase
        // (a thread count rising one by one) fits a line within the tolerance with strongly correlated residuals; counting
        // their correlation alone left 2 effective points, and a leak of 5 threads/s from start stayed Stable for a minute.
        var residualShare = rise.Rss < double.PositiveInfinity ? Math.Min(1, rise.Rss / rssFloor) : 1;
        var lagOne = residualShare * LagOne(rise.Rss < double.PositiveInfinity ? _bestResiduals.AsSpan(0, n) : v);
        var effective = Math.Clamp(n * (1 - lagOne) / (1 + lagOne), 2, n);

        var riseBic = rise.Rss < double.PositiveInfinity ? Bic(rise.Rss, rssFloor, n, effective, rise.Parameters) : double.PositiveInfinity;

        // Every bounded family contains the flat level, so the evidence against the flat level bounds the evidence against
        // the best of them: below what any decision needs, the bounded fits would change nothing.
        var flatBic = Bic(SumOfSquares(v), rssFloor, n, effective, 1);
        var (boundedBic, explanation) = (flatBic - riseBic) / 2 < evidenceOfInterest
            ? (flatBic, BoundedExplanation.Flat)
            : BestBounded(u, v, scaledLevel, span, rssFloor, effective, riseBic);
        var evidence = double.IsFinite(riseBic) ? (boundedBic - riseBic) / 2 : double.NegativeInfinity;

        // The rise over what it starts from: a flat level, or after a level shift, those two levels (a step explained is no rise).
        var baselineBic = rise.AfterShift ? Bic(LevelShiftRss(v, 2), rssFloor, n, effective, 3) : flatBic;

        var slope = rise.Slope * range / span;
        var dof = Math.Max(1, n - rise.Parameters);
        var sigma2 = Math.Max(rise.Rss, rssFloor) / dof;
        var inflation = (1 + lagOne) / (1 - lagOne);
        var slopeError = double.IsFinite(rise.InverseDiagonal) ? Math.Sqrt(sigma2 * rise.InverseDiagonal * inflation) * range / span : double.PositiveInfinity;
        return new GrowthAssessment
        {
            Points = n,
            SpanSeconds = span,
            Evidence = double.IsNaN(evidence) ? double.NegativeInfinity : evidence,
            RiseEvidence = double.IsFinite(riseBic) ? (baselineBic - riseBic) / 2 : double.NegativeInfinity,
            Explanation = explanation,
            Slope = rise.Rss < double.PositiveInfinity ? slope : 0,
            SlopeError = rise.Rss < double.PositiveInfinity ? slopeError : double.PositiveInfinity,
            OnsetSeconds = rise.Onset * span,
            Growth = rise.Rss < double.PositiveInfinity ? rise.Slope * (1 - rise.Onset) * range : 0,
            LagOne = lagOne,
            Last = y[n - 1],
            Level = level,
        };
    }

    private static double Bic(double rss, double floor, int n, double effective, int parameters) =>
        (effective * Math.Log(Math.Max(rss, floor) / n)) + (parameters * Math.Log(effective));

    private static double SumOfSquares(ReadOnlySpan<double> v)
    {
        var s = 0.0;
        foreach (var x in v)
        {
            s += x * x;
        }

        return s;
    }

    /// <summary>The median of <paramref name="y"/> (not empty); <paramref name="y"/> is left as it was.</summary>
    internal static double MedianOf(ReadOnlySpan<double> y)
    {
        var copy = y.Length <= 1024 ? stackalloc double[y.Length] : new double[y.Length];
        y.CopyTo(copy);
        return MedianInPlace(copy);
    }

    /// <summary>The median of <paramref name="values"/> (reordered in place): a selection in linear time, as this runs at every close.</summary>
    internal static double MedianInPlace(Span<double> values)
    {
        var n = values.Length;
        var upper = Select(values, n / 2);
        return n % 2 == 1 ? upper : (Max(values[..(n / 2)]) + upper) / 2;
    }

    /// <summary>The <paramref name="k"/>-th smallest value (Hoare's selection); afterwards every value before index k is no greater.</summary>
    private static double Select(Span<double> values, int k)
    {
        var (lo, hi) = (0, values.Length - 1);
        while (lo < hi)
        {
            var pivot = values[lo + ((hi - lo) / 2)];
            var (i, j) = (lo, hi);
            while (i <= j)
            {
                while (values[i] < pivot)
                {
                    i++;
                }

                while (values[j] > pivot)
                {
                    j--;
                }

                if (i <= j)
                {
                    (values[i], values[j]) = (values[j], values[i]);
                    i++;
                    j--;
                }
            }

            if (k <= j)
            {
                hi = j;
            }
            else if (k >= i)
            {
                lo = i;
            }
            else
            {
                break;
            }
        }

        return values[k];
    }

    private static double Max(ReadOnlySpan<double> values)
    {
        var max = double.NegativeInfinity;
        foreach (var v in values)
        {
            max = Math.Max(max, v);
        }

        return max;
    }

    private static int OnsetStep(int n) => Math.Max(1, (n - MinRampPoints + OnsetCandidates - 1) / OnsetCandidates);

    private (double Bic, BoundedExplanation Explanation) BestBounded(ReadOnlySpan<double> u, ReadOnlySpan<double> v, double level, double span, double floor, double effective, double riseBic)
    {
        var n = u.Length;
        Span<double> coefficients = stackalloc double[LeastSquares.MaxColumns];
        var best = Bic(SumOfSquares(v), floor, n, effective, 1);
        var explanation = BoundedExplanation.Flat;

        // A curve levelling off from an onset s: 2 coefficients, s and τ chosen (τ on a grid, then refined around the best).
        var column = _columns.AsSpan(0, n);
        var step = OnsetStep(n);
        var cap = SaturationAmplitudeShare * Math.Abs(level);
        var bestOnset = -1.0;
        var bestTau = 0.0;
        var bestRss = double.PositiveInfinity;

        for (var start = 0; start <= n - MinCurvePoints; start += step)
        {
            var s = u[start];
            for (var k = 0; k < _tauCount; k++)
            {
                var rss = LevellingOffRss(u, v, s, _taus[k], cap, column, coefficients);
                if (rss < bestRss)
                {
                    (bestRss, bestOnset, bestTau) = (rss, s, _taus[k]);
                }
            }
        }

        if (bestOnset >= 0)
        {
            // Golden-section search on log τ between the neighbouring grid values: real time constants fall between them.
            var (lo, hi) = (Math.Log(bestTau / 2), Math.Log(Math.Min(bestTau * 2, _taus[_tauCount - 1])));
            const double Golden = 0.6180339887498949;
            for (var iteration = 0; iteration < 10 && hi > lo; iteration++)
            {
                var a = hi - (Golden * (hi - lo));
                var b = lo + (Golden * (hi - lo));
                var ra = LevellingOffRss(u, v, bestOnset, Math.Exp(a), cap, column, coefficients);
                var rb = LevellingOffRss(u, v, bestOnset, Math.Exp(b), cap, column, coefficients);
                bestRss = Math.Min(bestRss, Math.Min(ra, rb));
                if (ra < rb)
                {
                    hi = b;
                }
                else
                {
                    lo = a;
                }
            }

            var bic = Bic(bestRss, floor, n, effective, 4);
            if (bic < best)
            {
                best = bic;
                explanation = BoundedExplanation.LevellingOff;
            }
        }

        // Logarithmic growth from an onset s with a short time constant (so it keeps slowing down over the life): its rate
        // falls at least tenfold, where a leak's does not.
        for (var start = 0; start <= n - MinCurvePoints; start += step)
        {
            var s = u[start];
            foreach (var tau in LogTauShares)
            {
                for (var i = 0; i < n; i++)
                {
                    column[i] = u[i] > s ? Math.Log(1 + ((u[i] - s) / tau)) : 0;
                }

                // The cap is on the rise over the life, as for the levelling-off curves.
                var rss = CappedFit(v, column, SaturationAmplitudeShare * Math.Abs(level) / Math.Log(1 + ((1 - s) / tau)), coefficients);
                var bic = Bic(rss, floor, n, effective, 4);
                if (bic < best)
                {
                    best = bic;
                    explanation = BoundedExplanation.SlowingGrowth;
                }
            }
        }

        // A rise that has stopped (a cache filled to its cap): flat, a straight rise from s to e, flat again.
        for (var start = 0; start < n - MinCurvePoints; start += step)
        {
            // It must have stopped for as long as a rise must last to count: a rise that paused for a few floors is within
            // the shape tolerance of one still going.
            for (var stop = start + MinCurvePoints; stop <= n - 1 - MinRampPoints; stop += step)
            {
                // And it rose for no longer than the longest warm-up: a cache fills within hours, as a warm-up settles (a rise
                // that keeps its pace longer is neither, SignalDetector.OutlastsWarmUp); a straight rise of days otherwise
                // "stopped" within the shape tolerance in its newest floors. Under a daily cycle (the composites) a rise that
                // stopped keeps any length: it stands in for a weekly component's rising days, which no model has (bounding
                // it there too measured worse, docs/detection.md §2).
                var (s, e) = (u[start], u[stop]);
                if (e - s > _longest)
                {
                    break;
                }

                for (var i = 0; i < n; i++)
                {
                    column[i] = Math.Clamp(u[i], s, e) - s;
                }

                var rss = CappedFit(v, column, SaturationAmplitudeShare * Math.Abs(level) / Math.Max(e - s, 1e-9), coefficients);
                var bic = Bic(rss, floor, n, effective, 4);
                if (bic < best)
                {
                    best = bic;
                    explanation = BoundedExplanation.LevellingOff;
                }
            }
        }

        for (var levels = 2; levels <= MaxLevels; levels++)
        {
            var bic = Bic(LevelShiftRss(v, levels), floor, n, effective, (2 * levels) - 1);
            if (bic < best)
            {
                best = bic;
                explanation = BoundedExplanation.LevelShifts;
            }
        }

        var cycle = Bic(CycleRss(u, v, span, -1), floor, n, effective, 3);
        if (cycle < best)
        {
            best = cycle;
            explanation = BoundedExplanation.DailyCycle;
        }

        // The composites wait for a whole day: before a cycle has been seen once, a cycle stacked on a curve or on steps bends
        // into almost any smooth rise, a leak's included (fitted from the start, they cost 4 of 56 fast leaks on the tuning
        // seeds). They can only lower the bounded side's score, and no decision reads an evidence at or below zero: once a
        // single shape explains the history at least as well as the rise, they would change nothing.
        if (best > riseBic && span >= Day)
        {
            BestCycleComposite(u, v, level, floor, effective, ref best, ref explanation);
        }

        return (best, explanation);
    }

    /// <summary>The best model with a straight rise from an onset to now, over a constant or a daily cycle.</summary>
    private Rise BestRise(ReadOnlySpan<double> u, ReadOnlySpan<double> v, double level, double span, double floor)
    {
        var n = u.Length;
        Span<double> coefficients = stackalloc double[LeastSquares.MaxColumns];
        var best = new Rise { Rss = double.PositiveInfinity, InverseDiagonal = double.NaN, Score = double.PositiveInfinity };
        var step = OnsetStep(n);
        var cap = SaturationAmplitudeShare * Math.Abs(level);
        var warmUps = _longest <= 1;
        var cycles = span >= Day;
        for (var k = 0; warmUps && k < TauShares.Length; k++)
        {
            FillLevellingOff(u, 0, _taus[k], _warmUpCurves.AsSpan(k * n, n));
        }

        for (var start = 0; start <= n - MinRampPoints; start += step)
        {
            var onset = u[start];

            // Constant + rise.
            var ramp = _columns.AsSpan(0, n);
            FillRamp(u, onset, ramp);
            var rss = LeastSquares.Fit(v, ramp, 1, coefficients, out var inverse);
            if (Consider(ref best, rss, coefficients[1], inverse, onset, 3, floor, n))
            {
                KeepResiduals(v, ramp, 1, coefficients);
            }

            // A second shape under the rise joins once the life is longer than that shape's own time scale: before that, stacked
            // on a rise, it bends into almost any smooth curve (as on the bounded side, BestBounded's composites).
            // Warm-up + rise (a leak that begins while the process still warms up), once the life outlasts the longest warm-up:
            // a curve levelling off from the first floor, bending within the life (τ at most SaturationSpanShare of it) and
            // rising by no more than a warm-up may.
            if (warmUps)
            {
                var columns = _columns.AsSpan(0, 2 * n);
                FillRamp(u, onset, columns[n..]);
                for (var k = 0; k < TauShares.Length; k++)
                {
                    _warmUpCurves.AsSpan(k * n, n).CopyTo(columns);
                    rss = LeastSquares.Fit(v, columns, 2, coefficients, out inverse);
                    if (coefficients[1] > 0 && coefficients[1] <= cap && Consider(ref best, rss, coefficients[2], inverse, onset, 5, floor, n))
                    {
                        KeepResiduals(v, columns, 2, coefficients);
                    }
                }
            }

            // Daily cycle + rise (a leak under a daily cycle), once a whole day has been seen.
            if (!cycles)
            {
                continue;
            }

            rss = CycleRss(u, v, span, onset, coefficients, out inverse, out var slope);
            if (Consider(ref best, rss, slope, inverse, onset, 5, floor, n))
            {
                CycleRss(u, v, span, onset, coefficients, out _, out _, keepResiduals: true);
            }
        }

        ShiftedRise(u, v, floor, ref best);
        return best;
    }

    /// <summary>
    /// A level shift, then a steady rise: one level, a shift to a second level held for at least <see cref="MinRampPoints"/>
    /// floors, and a straight rise from that level to now (the constant-plus-rise model after a step). A leak that begins
    /// after a step — load that changed, a cache that filled — is otherwise fitted by a rise that must also explain the
    /// step, and loses to the level shifts. The rise starts from the level it follows, not with a jump of its own (a jump
    /// down and a climb is a GC tooth), and that level must hold as long as a rise must last to count, as a rise that
    /// stopped must stay stopped (a step up that keeps climbing for a while is the level shifts' or a curve's).
    /// </summary>
    private void ShiftedRise(ReadOnlySpan<double> u, ReadOnlySpan<double> v, double floor, ref Rise best)
    {
        var n = u.Length;
        FillPrefixSums(v);

        // Running sums over i of x = max(0, u − onset), x², xy (those of y and y² are _prefix and _prefixSquares): the second
        // level's and the rise's fit on [split, n).
        Span<double> sums = stackalloc double[3 * (MaxPoints + 1)];
        var step = OnsetStep(n);
        var chosenSplit = -1;
        // The onsets BestRise tries, less those too early to follow a held level.
        for (var start = (MinSegment + MinRampPoints + step - 1) / step * step; start <= n - MinRampPoints; start += step)
        {
            var onset = u[start];
            sums[..3].Clear();
            for (var i = 0; i < n; i++)
            {
                var x = Math.Max(0, u[i] - onset);
                var (from, to) = (3 * i, 3 * (i + 1));
                sums[to] = sums[from] + x;
                sums[to + 1] = sums[from + 1] + (x * x);
                sums[to + 2] = sums[from + 2] + (x * v[i]);
            }

            for (var split = MinSegment; split <= start - MinRampPoints; split++)
            {
                var (rss, slope, inverse) = LastLevelFit(sums, split, n);
                if (Consider(ref best, SegmentCost(0, split) + rss, slope, inverse, onset, 5, floor, n))
                {
                    chosenSplit = split;
                }
            }
        }

        if (chosenSplit < 0)
        {
            return;
        }

        best.AfterShift = true;

        // The chosen model's residuals, for the noise correlation.
        var first = _prefix[chosenSplit] / chosenSplit;
        for (var i = 0; i < chosenSplit; i++)
        {
            _bestResiduals[i] = v[i] - first;
        }

        var ramp = _columns.AsSpan(0, n - chosenSplit);
        FillRamp(u[chosenSplit..], best.Onset, ramp);
        Span<double> coefficients = stackalloc double[LeastSquares.MaxColumns];
        LeastSquares.Fit(v[chosenSplit..], ramp, 1, coefficients, out _);
        for (var i = chosenSplit; i < n; i++)
        {
            _bestResiduals[i] = v[i] - coefficients[0] - (coefficients[1] * ramp[i - chosenSplit]);
        }
    }

    /// <summary>
    /// The last level's fit on [<paramref name="split"/>, <paramref name="n"/>): a constant plus the ramp whose running sums
    /// <paramref name="sums"/> holds (the values' own are <see cref="_prefix"/> and <see cref="_prefixSquares"/>); its
    /// residual sum, slope and the slope's (X'X)⁻¹ diagonal.
    /// </summary>
    private (double Rss, double Slope, double InverseDiagonal) LastLevelFit(ReadOnlySpan<double> sums, int split, int n)
    {
        var count = n - split;
        var (to, from) = (3 * n, 3 * split);
        var (sx, sy) = (sums[to] - sums[from], _prefix[n] - _prefix[split]);
        var sxx = sums[to + 1] - sums[from + 1] - (sx * sx / count);
        var sxy = sums[to + 2] - sums[from + 2] - (sx * sy / count);
        var syy = _prefixSquares[n] - _prefixSquares[split] - (sy * sy / count);
        if (!(sxx > 1e-12))
        {
            return (double.PositiveInfinity, 0, double.NaN);
        }

        var slope = sxy / sxx;
        return (Math.Max(0, syy - (slope * sxy)), slope, 1 / sxx);
    }

    private static bool Consider(ref Rise best, double rss, double slope, double inverse, double onset, int parameters, double floor, int n)
    {
        // Only a rise counts: a fitted decline is a bounded shape, not a leak. Rising models are chosen by the same criterion
        // as everything else (misfit below the residual floor is no better fit, each parameter costs ln n), so a daily
        // cycle does not join a rise that a straight line already explains: over hours the two are nearly collinear, and the
        // rate's interval would widen for nothing.
        var score = Bic(rss, floor, n, n, parameters);
        if (!(slope > 0) || !(score < best.Score))
        {
            return false;
        }

        best = new Rise { Rss = rss, Slope = slope, InverseDiagonal = inverse, Onset = onset, Parameters = parameters, Score = score };
        return true;
    }

    private void KeepResiduals(ReadOnlySpan<double> v, ReadOnlySpan<double> columns, int columnCount, ReadOnlySpan<double> coefficients)
    {
        var n = v.Length;
        for (var i = 0; i < n; i++)
        {
            var fitted = coefficients[0];
            for (var c = 0; c < columnCount; c++)
            {
                fitted += coefficients[c + 1] * columns[(c * n) + i];
            }

            _bestResiduals[i] = v[i] - fitted;
        }
    }

    private static double LevellingOffRss(ReadOnlySpan<double> u, ReadOnlySpan<double> v, double onset, double tau, double cap, Span<double> column, Span<double> coefficients)
    {
        FillLevellingOff(u, onset, tau, column);
        return CappedFit(v, column, cap, coefficients);
    }

    /// <summary>Fills <paramref name="column"/> with the curve levelling off from <paramref name="onset"/>: 0 before it, 1 − e^(−(u − onset)/τ) after.</summary>
    private static void FillLevellingOff(ReadOnlySpan<double> u, double onset, double tau, Span<double> column)
    {
        for (var i = 0; i < u.Length; i++)
        {
            column[i] = u[i] > onset ? 1 - Math.Exp(-(u[i] - onset) / tau) : 0;
        }
    }

    /// <summary>Fits an intercept and one column whose coefficient's magnitude may not exceed <paramref name="cap"/>.</summary>
    private static double CappedFit(ReadOnlySpan<double> v, ReadOnlySpan<double> column, double cap, Span<double> coefficients)
    {
        var rss = LeastSquares.Fit(v, column, 1, coefficients, out _);
        if (!(Math.Abs(coefficients[1]) > cap))
        {
            return rss;
        }

        // The cap binds: the coefficient sits at it and only the intercept is fitted.
        var b = Math.CopySign(cap, coefficients[1]);
        var n = v.Length;
        var mean = 0.0;
        for (var i = 0; i < n; i++)
        {
            mean += v[i] - (b * column[i]);
        }

        mean /= n;
        var sum = 0.0;
        for (var i = 0; i < n; i++)
        {
            var r = v[i] - mean - (b * column[i]);
            sum += r * r;
        }

        return sum;
    }

    private static void FillRamp(ReadOnlySpan<double> u, double onset, Span<double> ramp)
    {
        for (var i = 0; i < u.Length; i++)
        {
            ramp[i] = Math.Max(0, u[i] - onset);
        }
    }

    private double CycleRss(ReadOnlySpan<double> u, ReadOnlySpan<double> v, double span, double onset) =>
        CycleRss(u, v, span, onset, stackalloc double[LeastSquares.MaxColumns], out _, out _);

    /// <summary>
    /// Fits a 24-h sinusoid (plus a rise from <paramref name="onset"/> when it is ≥ 0) with its amplitude capped at
    /// <see cref="CycleAmplitudeShare"/> of the cycle's own mean level (its intercept, not the floors' median, which moves
    /// with the part of the day seen): unconstrained first; when that exceeds the cap, the unconstrained fit's phase with
    /// the amplitude scaled down to the cap, and the rest refitted, the cap following the refitted level. (The best phase at the cap fits better
    /// and measured worse on the tuning seeds — it helps the rise-plus-cycle side as much as the bounded one — so it is not
    /// used.)
    /// </summary>
    private double CycleRss(ReadOnlySpan<double> u, ReadOnlySpan<double> v, double span, double onset, Span<double> coefficients, out double inverse, out double slope, bool keepResiduals = false)
    {
        var n = u.Length;
        var omega = 2 * Math.PI * span / Day;
        for (var i = 0; i < n; i++)
        {
            _cosine[i] = Math.Cos(omega * u[i]);
            _sine[i] = Math.Sin(omega * u[i]);
        }

        var withRise = onset >= 0;
        var columns = _columns.AsSpan(0, (withRise ? 3 : 2) * n);
        _cosine.AsSpan(0, n).CopyTo(columns);
        _sine.AsSpan(0, n).CopyTo(columns[n..]);
        if (withRise)
        {
            FillRamp(u, onset, columns[(2 * n)..]);
        }

        var rss = LeastSquares.Fit(v, columns, withRise ? 3 : 2, coefficients, out inverse);
        slope = withRise ? coefficients[3] : 0;
        var cap = CycleAmplitudeShare * Math.Abs(_origin + coefficients[0]);
        if (Math.Sqrt((coefficients[1] * coefficients[1]) + (coefficients[2] * coefficients[2])) <= cap && double.IsFinite(rss))
        {
            if (keepResiduals)
            {
                KeepResiduals(v, columns, withRise ? 3 : 2, coefficients);
            }

            return rss;
        }

        // The cap binds: the sinusoid keeps its fitted phase with its amplitude scaled down to the cap, and the rest is refitted.
        // The cap is a share of the cycle's own mean level, which that refit moves: a few rounds find the amplitude at the cap.
        var amplitude = Math.Sqrt((coefficients[1] * coefficients[1]) + (coefficients[2] * coefficients[2]));
        var (cosine, sine) = (coefficients[1] / amplitude, coefficients[2] / amplitude);
        if (!double.IsFinite(cosine) || !double.IsFinite(sine))
        {
            (cosine, sine) = (0, 0);
        }

        var shifted = _residualSource.AsSpan(0, n);
        Span<double> inner = stackalloc double[LeastSquares.MaxColumns];
        var ramp = _columns.AsSpan(0, n);
        if (withRise)
        {
            FillRamp(u, onset, ramp);
        }

        var best = double.PositiveInfinity;
        inverse = double.PositiveInfinity;
        for (var round = 0; round < CapRounds; round++)
        {
            var (c, d) = (cosine * cap, sine * cap);
            for (var i = 0; i < n; i++)
            {
                shifted[i] = v[i] - (c * _cosine[i]) - (d * _sine[i]);
            }

            best = LeastSquares.Fit(shifted, ramp, withRise ? 1 : 0, inner, out inverse);
            var next = CycleAmplitudeShare * Math.Abs(_origin + inner[0]);
            if (!double.IsFinite(next) || Math.Abs(next - cap) <= 1e-9 * Math.Max(1, cap))
            {
                break;
            }

            cap = Math.Min(next, amplitude);
        }

        slope = withRise ? inner[1] : 0;
        if (keepResiduals)
        {
            KeepResiduals(shifted, ramp, withRise ? 1 : 0, inner);
        }

        return best;
    }

    /// <summary>
    /// The least residual sum of squares of a piecewise-constant fit with exactly <paramref name="levels"/> segments; when
    /// <paramref name="fitted"/> is not empty it receives the fitted levels.
    /// </summary>
    private double LevelShiftRss(ReadOnlySpan<double> v, int levels, Span<double> fitted = default)
    {
        var n = v.Length;
        if (levels * MinSegment > n)
        {
            return double.PositiveInfinity;
        }

        FillPrefixSums(v);

        // cost[m, j]: the best fit of v[0..j] with m + 1 segments; split[m, j]: where its last segment starts.
        for (var j = 0; j <= n - 1; j++)
        {
            _cost[j] = j + 1 >= MinSegment ? SegmentCost(0, j + 1) : double.PositiveInfinity;
        }

        for (var m = 1; m < levels; m++)
        {
            for (var j = 0; j < n; j++)
            {
                var end = j + 1;
                var best = double.PositiveInfinity;
                var bestSplit = -1;
                for (var split = MinSegment * m; split <= end - MinSegment; split++)
                {
                    var candidate = _cost[((m - 1) * MaxPoints) + split - 1] + SegmentCost(split, end);
                    if (candidate < best)
                    {
                        (best, bestSplit) = (candidate, split);
                    }
                }

                _cost[(m * MaxPoints) + j] = best;
                _split[(m * MaxPoints) + j] = bestSplit;
            }
        }

        var rss = _cost[((levels - 1) * MaxPoints) + n - 1];
        if (!fitted.IsEmpty && double.IsFinite(rss))
        {
            var end = n;
            for (var m = levels - 1; m >= 0; m--)
            {
                var start = m == 0 ? 0 : _split[(m * MaxPoints) + end - 1];
                var mean = (_prefix[end] - _prefix[start]) / (end - start);
                fitted[start..end].Fill(mean);
                end = start;
            }
        }

        return rss;
    }

    /// <summary>Fills <see cref="_prefix"/> and <see cref="_prefixSquares"/> with the running sums of <paramref name="v"/> and its squares.</summary>
    private void FillPrefixSums(ReadOnlySpan<double> v)
    {
        _prefix[0] = 0;
        _prefixSquares[0] = 0;
        for (var i = 0; i < v.Length; i++)
        {
            _prefix[i + 1] = _prefix[i] + v[i];
            _prefixSquares[i + 1] = _prefixSquares[i] + (v[i] * v[i]);
        }
    }

    private double SegmentCost(int from, int to)
    {
        var count = to - from;
        var sum = _prefix[to] - _prefix[from];
        return Math.Max(0, _prefixSquares[to] - _prefixSquares[from] - (sum * sum / count));
    }

    /// <summary>The lag-1 autocorrelation of residuals, corrected for its downward small-sample bias and clamped to [0, 0.98].</summary>
    internal static double LagOne(ReadOnlySpan<double> residuals)
    {
        var n = residuals.Length;
        var mean = 0.0;
        foreach (var r in residuals)
        {
            mean += r;
        }

        mean /= n;
        double numerator = 0, denominator = 0;
        for (var i = 0; i < n; i++)
        {
            var d = residuals[i] - mean;
            denominator += d * d;
            if (i > 0)
            {
                numerator += d * (residuals[i - 1] - mean);
            }
        }

        if (!(denominator > 0))
        {
            return 0;
        }

        var r1 = numerator / denominator;
        return Math.Clamp(r1 + ((1 + (4 * r1)) / n), 0, 0.98);
    }

    private struct Rise
    {
        public double Rss;
        public double Slope;
        public double InverseDiagonal;
        public double Onset;
        public int Parameters;
        public bool AfterShift;
        public double Score;
    }
}
