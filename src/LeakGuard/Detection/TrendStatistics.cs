using System.Runtime.Intrinsics;

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
        var n = y.Length;
        for (var i = 0; i < n - 1; i++)
        {
            var yi = y[i];
            var j = i + 1;
            if (Vector256.IsHardwareAccelerated && n - j >= Vector256<double>.Count)
            {
                // Comparison masks are all-ones (−1) per lane: subtracting them counts the rises, adding the falls.
                var pivot = Vector256.Create(yi);
                var counts = Vector256<long>.Zero;
                for (; j <= n - Vector256<double>.Count; j += Vector256<double>.Count)
                {
                    var v = Vector256.Create(y.Slice(j, Vector256<double>.Count));
                    counts -= Vector256.GreaterThan(v, pivot).AsInt64();
                    counts += Vector256.LessThan(v, pivot).AsInt64();
                }

                s += Vector256.Sum(counts);
            }

            for (; j < n; j++)
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
        var n = y.Length;
        var increasing = true;
        for (var i = 1; i < n && increasing; i++)
        {
            increasing = t[i] > t[i - 1];
        }

        var k = 0;
        for (var i = 0; i < n - 1; i++)
        {
            var j = i + 1;
            if (increasing && Vector256.IsHardwareAccelerated)
            {
                // Strictly increasing times: every pair counts, and lane-wise IEEE division gives the same slopes.
                var yi = Vector256.Create(y[i]);
                var ti = Vector256.Create(t[i]);
                for (; j <= n - Vector256<double>.Count; j += Vector256<double>.Count)
                {
                    var dy = Vector256.Create(y.Slice(j, Vector256<double>.Count)) - yi;
                    var dt = Vector256.Create(t.Slice(j, Vector256<double>.Count)) - ti;
                    (dy / dt).CopyTo(pairs.Slice(k, Vector256<double>.Count));
                    k += Vector256<double>.Count;
                }
            }

            for (; j < n; j++)
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
    public static (double Lower, double Upper) SenConfidence(Span<double> pairs, double varianceS, double z) =>
        SenConfidence(pairs, varianceS, z, -1);

    /// <summary>
    /// Computes the Theil–Sen confidence interval on pair slopes already partitioned around rank
    /// <paramref name="partitionedAt"/> (as <see cref="SenSlope"/> leaves them): each bound is then selected within
    /// one side only.
    /// </summary>
    /// <param name="pairs">The pair slopes (reordered).</param>
    /// <param name="varianceS">The variance of S.</param>
    /// <param name="z">z_{1−α/2} for a two-sided (1 − α) interval.</param>
    /// <param name="partitionedAt">A 0-based rank such that no element before it is larger and none after it smaller; −1 for none.</param>
    /// <returns>The lower and upper bounds.</returns>
    public static (double Lower, double Upper) SenConfidence(Span<double> pairs, double varianceS, double z, int partitionedAt)
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
        if (partitionedAt < 0 || partitionedAt >= n)
        {
            // After the first selection nothing right of it is smaller, so the second searches only that part.
            var first = Select(pairs, lowerRank - 1);
            return (first, Select(pairs[(lowerRank - 1)..], upperRank - lowerRank));
        }

        return (SelectAround(pairs, lowerRank - 1, partitionedAt), SelectAround(pairs, upperRank - 1, partitionedAt));
    }

    /// <summary>Selects rank k in values partitioned around rank p, searching only k's side.</summary>
    private static double SelectAround(Span<double> values, int k, int p)
    {
        if (k == p)
        {
            return values[p];
        }

        return k < p ? Select(values[..p], k) : Select(values[(p + 1)..], k - p - 1);
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
                sum += HamedRaoWeight(n, k) * rho;
            }
        }

        return HamedRaoInflation(n, sum);
    }

    /// <summary>
    /// Computes Hamed and Rao's (1998) variance inflation for <paramref name="n"/> points of AR(1) noise with lag-1
    /// autocorrelation <paramref name="rho"/>, from the ranks' autocorrelation ρ_s(k) = (6/π)·asin(ρ^k/2) at every lag
    /// (no significance screening): what the factor would be if the noise's correlation were known.
    /// </summary>
    /// <param name="rho">The lag-1 autocorrelation of the noise (values ≤ 0 give 1).</param>
    /// <param name="n">The number of points.</param>
    /// <returns>The variance inflation factor (≥ 1).</returns>
    public static double HamedRaoFactorAr1(double rho, int n)
    {
        if (n < 3 || !(rho > 0))
        {
            return 1;
        }

        rho = Math.Min(rho, 0.9999);
        double sum = 0;
        var power = 1.0;
        for (var k = 1; k < n - 2; k++)
        {
            power *= rho;
            if (power < 1e-9)
            {
                break;
            }

            sum += HamedRaoWeight(n, k) * (6 / Math.PI) * Math.Asin(power / 2);
        }

        return HamedRaoInflation(n, sum);
    }

    /// <summary>The weight (n − k)(n − k − 1)(n − k − 2) of the lag-k rank autocorrelation in Hamed and Rao's factor.</summary>
    private static double HamedRaoWeight(int n, int k) => (double)(n - k) * (n - k - 1) * (n - k - 2);

    /// <summary>Hamed and Rao's factor 1 + 2/(n(n − 1)(n − 2)) · Σ weight·ρ_s(k), never below 1.</summary>
    private static double HamedRaoInflation(int n, double weightedSum) => Math.Max(1, 1 + (2.0 / ((double)n * (n - 1) * (n - 2)) * weightedSum));

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

    /// <summary>
    /// Returns the k-th smallest value (0-based) by quickselect; reorders <paramref name="values"/> so that no element
    /// before index k is larger and none after it is smaller.
    /// </summary>
    /// <param name="values">The values.</param>
    /// <param name="k">The 0-based rank.</param>
    /// <returns>The value of rank k.</returns>
    public static double Select(Span<double> values, int k)
    {
        // Branch-free Lomuto partitions: on noisy data a comparison's outcome is unpredictable, and the
        // mispredictions of a classic Hoare partition cost more than the extra moves (the evaluation spent 77 %
        // of its time here before). Many equal values (quantised floors make equal pair slopes) cannot stall it:
        // when no element is below the pivot, the block equal to it is split off in a second pass.
        var left = 0;
        var right = values.Length;
        while (right - left > 16)
        {
            var a = values[left];
            var b = values[left + ((right - left) / 2)];
            var c = values[right - 1];
            var pivot = Math.Max(Math.Min(a, b), Math.Min(Math.Max(a, b), c));
            var below = PartitionBelow(values, left, right, pivot);
            if (below > left)
            {
                if (k < below)
                {
                    right = below;
                }
                else
                {
                    left = below;
                }

                continue;
            }

            var equalEnd = PartitionAtMost(values, left, right, pivot);
            if (k < equalEnd)
            {
                return pivot;
            }

            // Nothing is at most a NaN pivot: drop one element so the loop still ends (NaN has no order anyway).
            left = Math.Max(equalEnd, left + 1);
        }

        // Insertion sort of the small remainder.
        for (var i = left + 1; i < right; i++)
        {
            var v = values[i];
            var j = i - 1;
            while (j >= left && values[j] > v)
            {
                values[j + 1] = values[j];
                j--;
            }

            values[j + 1] = v;
        }

        return values[k];
    }

    /// <summary>Moves the elements of [left, right) below <paramref name="pivot"/> to its front; returns where they end.</summary>
    private static int PartitionBelow(Span<double> values, int left, int right, double pivot)
    {
        var store = left;
        for (var j = left; j < right; j++)
        {
            var v = values[j];
            values[j] = values[store];
            values[store] = v;
            store += v < pivot ? 1 : 0;
        }

        return store;
    }

    /// <summary>Moves the elements of [left, right) not above <paramref name="pivot"/> to its front; returns where they end.</summary>
    private static int PartitionAtMost(Span<double> values, int left, int right, double pivot)
    {
        var store = left;
        for (var j = left; j < right; j++)
        {
            var v = values[j];
            values[j] = values[store];
            values[store] = v;
            store += v <= pivot ? 1 : 0;
        }

        return store;
    }
}
