namespace LeakGuard.Detection;

/// <summary>
/// The rank statistics behind the detector: Mann–Kendall S with its tie-corrected variance, the Hamed–Rao
/// autocorrelation correction, and the Theil–Sen slope with its confidence interval. Pure and allocation-free:
/// callers pass scratch spans.
/// </summary>
internal static class TrendStatistics
{
    /// <summary>Computes Mann–Kendall's S = Σ_{i&lt;j} sgn(y_j − y_i).</summary>
    /// <param name="y">The series in time order.</param>
    /// <returns>S.</returns>
    public static long KendallS(ReadOnlySpan<double> y)
    {
        long s = 0;
        for (var i = 0; i < y.Length - 1; i++)
        {
            var yi = y[i];
            for (var j = i + 1; j < y.Length; j++)
            {
                // Branch-free: on noise the sign is unpredictable and mispredictions would dominate.
                var yj = y[j];
                s += (yj > yi ? 1 : 0) - (yj < yi ? 1 : 0);
            }
        }

        return s;
    }

    /// <summary>Computes Var S = [n(n−1)(2n+5) − Σ t(t−1)(2t+5)] / 18 over the groups of tied values.</summary>
    /// <param name="y">The series.</param>
    /// <param name="scratch">At least <c>y.Length</c> elements; overwritten.</param>
    /// <returns>The variance of S under the null hypothesis of no trend.</returns>
    public static double KendallVariance(ReadOnlySpan<double> y, Span<double> scratch)
    {
        var n = y.Length;
        var sorted = scratch[..n];
        y.CopyTo(sorted);
        sorted.Sort();
        double ties = 0;
        var run = 1;
        for (var i = 1; i <= n; i++)
        {
            if (i < n && sorted[i] == sorted[i - 1])
            {
                run++;
                continue;
            }

            if (run > 1)
            {
                ties += (double)run * (run - 1) * ((2 * run) + 5);
            }

            run = 1;
        }

        return (((double)n * (n - 1) * ((2 * n) + 5)) - ties) / 18.0;
    }

    /// <summary>Turns S into a continuity-corrected z-score.</summary>
    /// <param name="s">Mann–Kendall S.</param>
    /// <param name="variance">The variance of S (possibly corrected for autocorrelation).</param>
    /// <returns>Z, or 0 when the variance is not positive.</returns>
    public static double ZScore(long s, double variance)
    {
        if (!(variance > 0))
        {
            return 0;
        }

        return s > 0 ? (s - 1) / Math.Sqrt(variance) : s < 0 ? (s + 1) / Math.Sqrt(variance) : 0;
    }

    /// <summary>Fills <paramref name="pairs"/> with every pairwise slope (y_j − y_i)/(t_j − t_i), i &lt; j.</summary>
    /// <param name="t">The times.</param>
    /// <param name="y">The values.</param>
    /// <param name="pairs">At least n(n−1)/2 elements.</param>
    /// <returns>The number of slopes written.</returns>
    public static int PairSlopes(ReadOnlySpan<double> t, ReadOnlySpan<double> y, Span<double> pairs)
    {
        var k = 0;
        for (var i = 0; i < y.Length - 1; i++)
        {
            for (var j = i + 1; j < y.Length; j++)
            {
                var dt = t[j] - t[i];
                if (dt > 0)
                {
                    pairs[k++] = (y[j] - y[i]) / dt;
                }
            }
        }

        return k;
    }

    /// <summary>Computes the Theil–Sen slope, the median of all pairwise slopes.</summary>
    /// <param name="t">The times.</param>
    /// <param name="y">The values.</param>
    /// <param name="pairs">Scratch of at least n(n−1)/2 elements; left holding the (reordered) pair slopes.</param>
    /// <param name="count">The number of pair slopes in <paramref name="pairs"/>.</param>
    /// <returns>The slope, or 0 with fewer than two points.</returns>
    public static double SenSlope(ReadOnlySpan<double> t, ReadOnlySpan<double> y, Span<double> pairs, out int count)
    {
        count = PairSlopes(t, y, pairs);
        return count == 0 ? 0 : Median(pairs[..count]);
    }

    /// <summary>
    /// Computes the Theil–Sen confidence interval: with C = z·√Var S, the bounds are the
    /// ((N − C)/2)-th and ((N + C)/2 + 1)-th smallest of the N pair slopes.
    /// </summary>
    /// <param name="pairs">The pair slopes (any order; reordered).</param>
    /// <param name="varianceS">The variance of S.</param>
    /// <param name="z">z_{1−α/2} for a two-sided (1 − α) interval.</param>
    /// <returns>The lower and upper bounds.</returns>
    public static (double Lower, double Upper) SenConfidence(Span<double> pairs, double varianceS, double z)
    {
        var n = pairs.Length;
        if (n == 0)
        {
            return (0, 0);
        }

        var c = z * Math.Sqrt(Math.Max(varianceS, 0));
        var lowerRank = (int)Math.Round((n - c) / 2.0);
        var upperRank = (int)Math.Round((n + c) / 2.0) + 1;
        lowerRank = Math.Clamp(lowerRank, 1, n);
        upperRank = Math.Clamp(upperRank, 1, n);
        return (Select(pairs, lowerRank - 1), Select(pairs, upperRank - 1));
    }

    /// <summary>
    /// Computes Hamed and Rao's (1998) variance inflation n/n* for autocorrelated series:
    /// 1 + 2/(n(n−1)(n−2)) Σ_k (n−k)(n−k−1)(n−k−2) ρ_k over the significant lags of the ranks of the
    /// Sen-detrended series. Never below 1, so the correction can only make the test more cautious.
    /// </summary>
    /// <param name="t">The times.</param>
    /// <param name="y">The values.</param>
    /// <param name="slope">The Sen slope used to detrend.</param>
    /// <param name="residuals">Scratch of at least n elements.</param>
    /// <param name="ranks">Scratch of at least n elements.</param>
    /// <param name="index">Scratch of at least n elements.</param>
    /// <param name="lag1">The lag-1 autocorrelation of the detrended ranks.</param>
    /// <returns>The variance inflation factor (≥ 1).</returns>
    public static double HamedRaoFactor(
        ReadOnlySpan<double> t,
        ReadOnlySpan<double> y,
        double slope,
        Span<double> residuals,
        Span<double> ranks,
        Span<int> index,
        out double lag1)
    {
        var n = y.Length;
        lag1 = 0;
        if (n < 3)
        {
            return 1;
        }

        var r = residuals[..n];
        var rk = ranks[..n];
        var ix = index[..n];
        for (var i = 0; i < n; i++)
        {
            r[i] = y[i] - (slope * t[i]);
            ix[i] = i;
        }

        r.Sort(ix);

        // Average ranks for ties, written back in time order.
        var start = 0;
        for (var i = 1; i <= n; i++)
        {
            if (i < n && r[i] == r[start])
            {
                continue;
            }

            var rank = (start + i + 1) / 2.0;
            for (var j = start; j < i; j++)
            {
                rk[ix[j]] = rank;
            }

            start = i;
        }

        var mean = (n + 1) / 2.0;
        double denominator = 0;
        for (var i = 0; i < n; i++)
        {
            denominator += (rk[i] - mean) * (rk[i] - mean);
        }

        if (denominator <= 0)
        {
            return 1;
        }

        var threshold = 1.96 / Math.Sqrt(n);
        var maxLag = Math.Max(1, n / 3);
        double sum = 0;
        for (var k = 1; k <= maxLag; k++)
        {
            double numerator = 0;
            for (var i = 0; i + k < n; i++)
            {
                numerator += (rk[i] - mean) * (rk[i + k] - mean);
            }

            var rho = numerator / denominator;
            if (k == 1)
            {
                lag1 = rho;
            }

            if (Math.Abs(rho) > threshold)
            {
                sum += (double)(n - k) * (n - k - 1) * (n - k - 2) * rho;
            }
        }

        var factor = 1 + (2.0 / ((double)n * (n - 1) * (n - 2)) * sum);
        return Math.Max(1, factor);
    }

    /// <summary>Returns the median (reorders <paramref name="values"/>).</summary>
    /// <param name="values">The values.</param>
    /// <returns>The median, or 0 when empty.</returns>
    public static double Median(Span<double> values)
    {
        var n = values.Length;
        if (n == 0)
        {
            return 0;
        }

        var upper = Select(values, n / 2);
        if ((n & 1) == 1)
        {
            return upper;
        }

        // After selecting n/2, every element left of it is not larger: the lower middle is their maximum.
        var lower = double.NegativeInfinity;
        for (var i = 0; i < n / 2; i++)
        {
            lower = Math.Max(lower, values[i]);
        }

        return (lower + upper) / 2;
    }

    /// <summary>Returns the k-th smallest value (0-based) by quickselect; reorders <paramref name="values"/>.</summary>
    /// <param name="values">The values.</param>
    /// <param name="k">The 0-based rank.</param>
    /// <returns>The value of rank k.</returns>
    public static double Select(Span<double> values, int k)
    {
        var left = 0;
        var right = values.Length - 1;
        while (right > left)
        {
            var mid = left + ((right - left) / 2);
            if (values[mid] < values[left])
            {
                (values[mid], values[left]) = (values[left], values[mid]);
            }

            if (values[right] < values[left])
            {
                (values[right], values[left]) = (values[left], values[right]);
            }

            if (values[right] < values[mid])
            {
                (values[right], values[mid]) = (values[mid], values[right]);
            }

            var pivot = values[mid];
            var i = left;
            var j = right;
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
                right = j;
            }
            else if (k >= i)
            {
                left = i;
            }
            else
            {
                return values[k];
            }
        }

        return values[k];
    }
}
