namespace LeakGuard.Detection;

/// <summary>
/// Projects when a rising signal reaches its limit, with a range that holds what the rate's statistical interval does
/// not: the rate's interval assumes a constant rate seen through noise, while a real leak's rate drifts (it shares its
/// cores) and a real signal is only seen in steps. The range therefore takes
/// <list type="bullet">
/// <item>the rate's drift besides its statistical error: the rise since the onset is cut into up to 4 consecutive
/// segments of at least 4 floors, and the spread of their rates beyond what their own noise explains widens the rate's
/// 95 % interval (in quadrature);</item>
/// <item>the limit as reached one step early at the earliest: a signal read in steps (the GC heap after each collection
/// rises by what survived since the last one, and dies when the next allocation budget no longer fits) crosses it
/// somewhere within the last step. The step is the largest rise between consecutive newest floors beyond the trend,
/// plus the trend over one floor spacing (the crossing is known to within a sampling step even for a smooth rise);</item>
/// <item>for the GC's heap hard limit, the limit as reached by the GC's commit at the earliest: the limit caps what the GC
/// commits, which runs ahead of the heap's size (its free space and allocation budget), so the heap may die that much
/// short of the limit (<c>slack</c>); the latest end keeps the heap's size;</item>
/// <item>time counted from the newest floor: it is the minimum of a bucket that closed before the evaluation, so the
/// signal has grown since for as long as the floor is old (the point projection counts from it too).</item>
/// </list>
/// Pure: takes the floors and returns the times.
/// </summary>
internal static class TimeToLimitProjection
{
    /// <summary>The most segments the rise is cut into to see its rate vary.</summary>
    public const int MaxSegments = 4;

    /// <summary>The fewest floors a segment's rate is fitted on.</summary>
    public const int MinSegmentFloors = 4;

    /// <summary>The newest floors whose rises give the step.</summary>
    public const int StepFloors = 16;

    private static readonly double Z95 = NormalDistribution.Quantile(0.975);

    /// <summary>Projects the time to the limit from now, with its earliest and latest end.</summary>
    /// <param name="limit">The limit, or <see langword="null"/> for none (then nothing is projected).</param>
    /// <param name="t">The floors' times, in seconds (increasing).</param>
    /// <param name="y">The floors.</param>
    /// <param name="onsetSeconds">The rise's onset, in seconds after the first floor.</param>
    /// <param name="rate">The rise's rate per second.</param>
    /// <param name="lower">The lower end of the rate's 95 % interval.</param>
    /// <param name="upper">The upper end of the rate's 95 % interval.</param>
    /// <param name="ageSeconds">How long before now the newest floor was taken.</param>
    /// <param name="slack">How much short of the limit the signal may end the process (the GC heap's commit ahead of its size); the earliest end counts it.</param>
    /// <returns>The time to the limit and its earliest and latest end; each <see langword="null"/> when the signal would not reach the limit.</returns>
    public static (TimeSpan? Point, TimeSpan? Earliest, TimeSpan? Latest) Project(
        double? limit, ReadOnlySpan<double> t, ReadOnlySpan<double> y, double onsetSeconds, double rate, double lower, double upper, double ageSeconds, double slack = 0)
    {
        var n = Math.Min(t.Length, y.Length);
        if (limit is not { } l || !double.IsFinite(l) || n == 0 || !(rate > 0))
        {
            return default;
        }

        var last = y[n - 1];
        var age = double.IsFinite(ageSeconds) ? Math.Max(0, ageSeconds) : 0;
        var first = 0;
        while (first < n - 1 && t[first] - t[0] < onsetSeconds)
        {
            first++;
        }

        // The rate's drift adds to its statistical error in quadrature (both are spreads of the rate the future brings).
        var drift = Z95 * RateDrift(t[first..n], y[first..n]);
        var low = rate - Math.Sqrt(((rate - lower) * (rate - lower)) + (drift * drift));
        var high = rate + Math.Sqrt(((upper - rate) * (upper - rate)) + (drift * drift));
        var step = Step(t[first..n], y[first..n], rate);
        return (
            Seconds((l - last) / rate, age),
            high > 0 ? Seconds((l - step - (double.IsFinite(slack) ? Math.Max(0, slack) : 0) - last) / high, age) : null,
            low > 0 ? Seconds((l - last) / low, age) : null);
    }

    /// <summary>
    /// How much the rise's rate itself varies: the standard deviation of its segments' rates beyond what their own noise
    /// explains (between-segment variance minus the mean of their squared standard errors; 0 when the noise explains it
    /// all or the rise is too short to cut into at least 2 segments).
    /// </summary>
    internal static double RateDrift(ReadOnlySpan<double> t, ReadOnlySpan<double> y)
    {
        var segments = Math.Min(MaxSegments, t.Length / MinSegmentFloors);
        if (segments < 2)
        {
            return 0;
        }

        Span<double> slopes = stackalloc double[MaxSegments];
        double sum = 0, noise = 0;
        for (var s = 0; s < segments; s++)
        {
            var from = s * t.Length / segments;
            var to = (s + 1) * t.Length / segments;
            (slopes[s], var error) = Fit(t[from..to], y[from..to]);
            if (!double.IsFinite(slopes[s]) || !double.IsFinite(error))
            {
                return 0;
            }

            sum += slopes[s];
            noise += error * error;
        }

        var mean = sum / segments;
        var spread = 0.0;
        for (var s = 0; s < segments; s++)
        {
            spread += (slopes[s] - mean) * (slopes[s] - mean);
        }

        return Math.Sqrt(Math.Max(0, (spread / (segments - 1)) - (noise / segments)));
    }

    /// <summary>How far below the limit the signal may cross it: the largest rise between the newest consecutive floors beyond the trend, plus the trend over their spacing.</summary>
    internal static double Step(ReadOnlySpan<double> t, ReadOnlySpan<double> y, double rate)
    {
        var from = Math.Max(1, t.Length - StepFloors);
        var excess = 0.0;
        var spacing = 0.0;
        for (var i = from; i < t.Length; i++)
        {
            var dt = t[i] - t[i - 1];
            excess = Math.Max(excess, y[i] - y[i - 1] - (rate * dt));
            spacing = Math.Max(spacing, dt);
        }

        return excess + (rate * spacing);
    }

    /// <summary>A straight line's slope through the points, and its standard error from the residuals.</summary>
    private static (double Slope, double Error) Fit(ReadOnlySpan<double> t, ReadOnlySpan<double> y)
    {
        double mt = 0, my = 0;
        for (var i = 0; i < t.Length; i++)
        {
            mt += t[i];
            my += y[i];
        }

        mt /= t.Length;
        my /= t.Length;
        double sty = 0, stt = 0;
        for (var i = 0; i < t.Length; i++)
        {
            sty += (t[i] - mt) * (y[i] - my);
            stt += (t[i] - mt) * (t[i] - mt);
        }

        if (!(stt > 0) || t.Length < 3)
        {
            return (double.NaN, double.NaN);
        }

        var slope = sty / stt;
        var rss = 0.0;
        for (var i = 0; i < t.Length; i++)
        {
            var r = y[i] - my - (slope * (t[i] - mt));
            rss += r * r;
        }

        return (slope, Math.Sqrt(rss / (t.Length - 2) / stt));
    }

    private static TimeSpan? Seconds(double projected, double age)
    {
        if (double.IsNaN(projected) || double.IsPositiveInfinity(projected))
        {
            return null;
        }

        var seconds = projected - age;
        if (!(seconds > 0))
        {
            return TimeSpan.Zero;
        }

        return seconds >= TimeSpan.MaxValue.TotalSeconds / 2 ? null : TimeSpan.FromSeconds(seconds);
    }
}
