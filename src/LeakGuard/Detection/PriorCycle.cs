namespace LeakGuard.Detection;

/// <summary>
/// The daily cycle a signal showed in earlier lifetimes of the same service (their lowest reading per clock hour, kept
/// across restarts), so that the first day of a restarted instance is judged with the days before it: the detector
/// subtracts this cycle from the current life's floors before it compares the models (see docs/detection.md, "After a
/// restart").
/// </summary>
/// <remarks>
/// The fit: a restart resets the level and a lifetime may have grown (a leak that ended in an OOM kill), so each lifetime
/// gets its own level and trend, and the cycle — the first two harmonics of the day, shared by all lifetimes — is fitted
/// to what is left (each lifetime's floors minus their own line; Frisch–Waugh–Lovell, so any number of lifetimes costs
/// the same). It is used only when it is evidence, not noise: the floors left cover at least <see cref="MinClockHours"/>
/// hours of the day and the cycle explains them better than no cycle by <see cref="MinEvidence"/> (half the BIC
/// difference, with the sample size reduced for autocorrelation, as the models are scored).
/// </remarks>
internal sealed class PriorCycle
{
    /// <summary>The fewest hours of the day (of 24) the earlier lifetimes' floors must cover.</summary>
    public const int MinClockHours = 20;

    /// <summary>The least evidence (half the BIC difference) for a cycle against none.</summary>
    public const double MinEvidence = 3;

    private const int Harmonics = 2;

    private readonly double[] _coefficients;

    private PriorCycle(double[] coefficients, long validUntilTicks, double evidence, int lifetimes, double swing)
    {
        _coefficients = coefficients;
        ValidUntilTicks = validUntilTicks;
        Evidence = evidence;
        Lifetimes = lifetimes;
        Swing = swing;
    }

    /// <summary>
    /// Gets the last moment (UTC ticks) the cycle applies: the newest earlier floor plus
    /// <see cref="DetectorSettings.MaxLookback"/>, the span those floors would have been judged in had the process not
    /// restarted.
    /// </summary>
    public long ValidUntilTicks { get; }

    /// <summary>Gets the evidence for the cycle against none.</summary>
    public double Evidence { get; }

    /// <summary>Gets the number of earlier lifetimes whose floors informed the fit.</summary>
    public int Lifetimes { get; }

    /// <summary>Gets the cycle's largest departure from its mean over the day, in the signal's unit.</summary>
    public double Swing { get; }

    /// <summary>The cycle's value (its mean over a day is zero) at a moment.</summary>
    /// <param name="utcTicks">The moment, UTC ticks.</param>
    /// <returns>The cycle's departure from the day's mean.</returns>
    public double At(long utcTicks)
    {
        var phase = 2 * Math.PI * (utcTicks % TimeSpan.TicksPerDay) / TimeSpan.TicksPerDay;
        var value = 0.0;
        for (var h = 0; h < Harmonics; h++)
        {
            value += (_coefficients[2 * h] * Math.Cos((h + 1) * phase)) + (_coefficients[(2 * h) + 1] * Math.Sin((h + 1) * phase));
        }

        return value;
    }

    /// <summary>The cycle's lowest value over a span (a floor is read low in its span, so the cycle it holds is taken as the lowest there).</summary>
    /// <param name="fromTicks">The span's start, UTC ticks.</param>
    /// <param name="toTicks">The span's end, UTC ticks.</param>
    /// <returns>The lowest value (sampled at 17 points, ends included).</returns>
    public double MinOver(long fromTicks, long toTicks)
    {
        if (toTicks <= fromTicks)
        {
            return At(fromTicks);
        }

        var step = Math.Min(toTicks - fromTicks, TimeSpan.TicksPerDay) / 16.0;
        var min = double.PositiveInfinity;
        for (var k = 0; k <= 16; k++)
        {
            min = Math.Min(min, At(fromTicks + (long)(k * step)));
        }

        return min;
    }

    /// <summary>Fits the cycle of earlier lifetimes' hourly floors, or returns <see langword="null"/> when they show none.</summary>
    /// <param name="hours">Each floor's clock hour (its start).</param>
    /// <param name="minima">Each floor: the lowest reading in that hour.</param>
    /// <param name="lifetimes">Each floor's lifetime (any key shared by the floors of one lifetime, such as its start).</param>
    /// <returns>The cycle, or <see langword="null"/> when the floors cover too few hours of the day or show no cycle.</returns>
    public static PriorCycle? Fit(IReadOnlyList<DateTimeOffset> hours, IReadOnlyList<double> minima, IReadOnlyList<DateTimeOffset> lifetimes)
    {
        ArgumentNullException.ThrowIfNull(hours);
        ArgumentNullException.ThrowIfNull(minima);
        ArgumentNullException.ThrowIfNull(lifetimes);
        var count = Math.Min(hours.Count, Math.Min(minima.Count, lifetimes.Count));
        var all = new List<(DateTimeOffset Lifetime, long Ticks, double Value)>(count);
        for (var i = 0; i < count; i++)
        {
            if (double.IsFinite(minima[i]))
            {
                all.Add((lifetimes[i], hours[i].UtcTicks, minima[i]));
            }
        }

        // A lone floor of a lifetime says nothing about the cycle (its level is its own).
        all.Sort((a, b) => a.Lifetime != b.Lifetime ? a.Lifetime.CompareTo(b.Lifetime) : a.Ticks.CompareTo(b.Ticks));
        var points = all.Where((p, i) => (i > 0 && all[i - 1].Lifetime == p.Lifetime) || (i + 1 < all.Count && all[i + 1].Lifetime == p.Lifetime)).ToList();
        var n = points.Count;
        if (n == 0)
        {
            return null;
        }

        var lo = points.Min(p => p.Value);
        var range = points.Max(p => p.Value) - lo;
        var clockHours = points.Select(p => new DateTimeOffset(p.Ticks, TimeSpan.Zero).Hour).Distinct().Count();
        if (!(range > 0) || !double.IsFinite(range) || clockHours < MinClockHours)
        {
            return null;
        }

        // The groups (lifetimes) and the parameters their own lines take.
        var groups = new List<(int Start, int Size)>();
        var parameters = 0;
        for (var start = 0; start < n;)
        {
            var end = start;
            while (end < n && points[end].Lifetime == points[start].Lifetime)
            {
                end++;
            }

            groups.Add((start, end - start));
            parameters += end - start >= 3 ? 2 : 1;
            start = end;
        }

        const int Columns = 2 * Harmonics;
        var dof = n - parameters;
        if (dof <= Columns + 2)
        {
            return null;
        }

        // The harmonics at each hour's middle, each lifetime's own line taken out (Frisch–Waugh–Lovell).
        var x = new double[Columns * n];
        for (var i = 0; i < n; i++)
        {
            var phase = 2 * Math.PI * ((points[i].Ticks + (TimeSpan.TicksPerHour / 2)) % TimeSpan.TicksPerDay) / TimeSpan.TicksPerDay;
            for (var h = 0; h < Harmonics; h++)
            {
                x[((2 * h) * n) + i] = Math.Cos((h + 1) * phase);
                x[(((2 * h) + 1) * n) + i] = Math.Sin((h + 1) * phase);
            }
        }

        foreach (var (start, size) in groups)
        {
            for (var c = 0; c < Columns; c++)
            {
                RemoveLine(x.AsSpan((c * n) + start, size), points, start, size >= 3);
            }
        }

        // A floor is the lowest reading of its hour, below the cycle's value at the hour's middle by what the cycle falls
        // within the hour (up to half an hour's slope where it is steep): fitted as it is, that shape error would be taken
        // out of the restarted instance's floors. So the fit is repeated a few times on the floors raised by what the
        // previous fit says the hour's minimum takes off (a fixed point: the cycle whose hourly minima match the floors).
        var y = new double[n];
        var adjustment = new double[n];
        Span<double> coefficients = stackalloc double[LeastSquares.MaxColumns];
        var fitted = new double[Columns];
        var residuals = new double[n];
        var evidence = double.NaN;
        for (var iteration = 0; iteration < 4; iteration++)
        {
            for (var i = 0; i < n; i++)
            {
                y[i] = ((points[i].Value - lo) / range) + adjustment[i];
            }

            foreach (var (start, size) in groups)
            {
                RemoveLine(y.AsSpan(start, size), points, start, size >= 3);
            }

            var rss = LeastSquares.Fit(y, x, Columns, coefficients, out _);
            if (!double.IsFinite(rss))
            {
                return null;
            }

            if (iteration == 0)
            {
                // The evidence is the plain fit's: whether the floors as they are show a cycle.
                var rss0 = y.Sum(v => v * v);
                for (var i = 0; i < n; i++)
                {
                    var value = coefficients[0];
                    for (var c = 0; c < Columns; c++)
                    {
                        value += coefficients[c + 1] * x[(c * n) + i];
                    }

                    residuals[i] = y[i] - value;
                }

                // The evidence for the cycle against none, with the residuals' lag-1 correlation (floors an hour apart
                // wander together) reducing the sample size, as in the models; without it the refits are not needed.
                var floor = n * (GrowthComparison.ShapeTolerance * GrowthComparison.ShapeTolerance);
                var lag = GrowthComparison.LagOne(residuals);
                var effective = Math.Max(2, dof * (1 - lag) / (1 + lag));
                evidence = ((effective * Math.Log(Math.Max(rss0, floor) / Math.Max(rss, floor))) - (Columns * Math.Log(effective))) / 2;
                if (!(evidence >= MinEvidence))
                {
                    return null;
                }
            }

            for (var c = 0; c < Columns; c++)
            {
                fitted[c] = coefficients[c + 1];
            }

            var scaled = new PriorCycle(fitted, 0, 0, 0, 0);
            for (var i = 0; i < n; i++)
            {
                var t = points[i].Ticks;
                adjustment[i] = scaled.At(t + (TimeSpan.TicksPerHour / 2)) - scaled.MinOver(t, t + TimeSpan.TicksPerHour);
            }
        }

        var result = new double[Columns];
        for (var c = 0; c < Columns; c++)
        {
            result[c] = fitted[c] * range;
        }

        // Not capped as the daily-cycle model's swing is (±CycleAmplitudeShare of the level): that cap keeps a model fitted to
        // the life being judged from explaining a leak away, while this cycle comes from other days, each lifetime's own
        // growth taken out, and a cycle cut to a cap would leave its excess in the floors as a shape to read as a trend.
        var swing = 0.0;
        var unit = new PriorCycle(result, 0, 0, 0, 0);
        for (var step = 0; step < 96; step++)
        {
            swing = Math.Max(swing, Math.Abs(unit.At(step * TimeSpan.TicksPerDay / 96)));
        }

        var newest = points.Max(p => p.Ticks) + TimeSpan.TicksPerHour;
        return new PriorCycle(result, newest + DetectorSettings.MaxLookback.Ticks, evidence, groups.Count, swing);
    }

    /// <summary>Subtracts the least-squares line (or, without <paramref name="trend"/>, the mean) over the floors' times.</summary>
    private static void RemoveLine(Span<double> values, List<(DateTimeOffset Lifetime, long Ticks, double Value)> points, int start, bool trend)
    {
        var size = values.Length;
        var meanT = 0.0;
        var meanV = 0.0;
        for (var i = 0; i < size; i++)
        {
            meanT += (points[start + i].Ticks - points[start].Ticks) / (double)TimeSpan.TicksPerHour;
            meanV += values[i];
        }

        meanT /= size;
        meanV /= size;
        var sxx = 0.0;
        var sxy = 0.0;
        for (var i = 0; i < size; i++)
        {
            var dt = ((points[start + i].Ticks - points[start].Ticks) / (double)TimeSpan.TicksPerHour) - meanT;
            sxx += dt * dt;
            sxy += dt * (values[i] - meanV);
        }

        var slope = trend && sxx > 0 ? sxy / sxx : 0;
        for (var i = 0; i < size; i++)
        {
            var dt = ((points[start + i].Ticks - points[start].Ticks) / (double)TimeSpan.TicksPerHour) - meanT;
            values[i] -= meanV + (slope * dt);
        }
    }
}
