namespace LeakGuard.Overhead;

/// <summary>
/// Distribution-free statistics of per-round paired ratios: the median with an order-statistic confidence
/// interval (the interval between the k-th smallest and k-th largest ratio, k from the Binomial(n, 1/2)
/// distribution of how many ratios fall below the true median), which needs no assumption about the noise.
/// </summary>
internal static class PairedStatistics
{
    /// <summary>The median and its confidence interval (at least the requested coverage).</summary>
    /// <param name="values">The per-round ratios.</param>
    /// <param name="confidence">The coverage, e.g. 0.95.</param>
    /// <returns>The median, the bounds and the coverage actually achieved (NaN bounds when there are too few rounds).</returns>
    public static (double Median, double Low, double High, double Coverage) MedianWithInterval(IReadOnlyList<double> values, double confidence = 0.95)
    {
        var sorted = values.Where(double.IsFinite).OrderBy(v => v).ToArray();
        var n = sorted.Length;
        if (n == 0)
        {
            return (double.NaN, double.NaN, double.NaN, 0);
        }

        var median = n % 2 == 1 ? sorted[n / 2] : (sorted[(n / 2) - 1] + sorted[n / 2]) / 2;

        // Largest k with P(X < k) <= (1 - confidence) / 2 for X ~ Binomial(n, 1/2): [x(k), x(n-k+1)] covers the median.
        var tail = (1 - confidence) / 2;
        var k = 0;
        var cumulative = 0.0;
        for (var j = 0; j < n; j++)
        {
            cumulative += BinomialHalf(n, j);
            if (cumulative > tail)
            {
                break;
            }

            k = j + 1;
        }

        if (k == 0)
        {
            return (median, double.NaN, double.NaN, 0);
        }

        var below = 0.0;
        for (var j = 0; j < k; j++)
        {
            below += BinomialHalf(n, j);
        }

        return (median, sorted[k - 1], sorted[n - k], 1 - (2 * below));
    }

    private static double BinomialHalf(int n, int j)
    {
        // C(n, j) / 2^n in logarithms (n up to a few hundred).
        var log = 0.0;
        for (var i = 1; i <= j; i++)
        {
            log += Math.Log(n - j + i) - Math.Log(i);
        }

        return Math.Exp(log - (n * Math.Log(2)));
    }
}
