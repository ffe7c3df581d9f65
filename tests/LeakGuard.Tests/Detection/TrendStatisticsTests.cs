using LeakGuard.Detection;
using NUnit.Framework;

namespace LeakGuard.Tests.Detection;

public sealed class TrendStatisticsTests
{
    [Test]
    public void Kendall_S_counts_concordant_minus_discordant_pairs()
    {
        Assert.Multiple(() =>
        {
            Assert.That(TrendStatistics.KendallS([1, 2, 3, 4, 5]), Is.EqualTo(10));
            Assert.That(TrendStatistics.KendallS([5, 4, 3, 2, 1]), Is.EqualTo(-10));

            // Pairs of 1,3,2,4: five rise, one (3→2) falls.
            Assert.That(TrendStatistics.KendallS([1, 3, 2, 4]), Is.EqualTo(4));

            // Ties contribute nothing.
            Assert.That(TrendStatistics.KendallS([2, 2, 2]), Is.EqualTo(0));
        });
    }

    [Test]
    public void Kendall_variance_without_ties_is_n_n_minus_1_2n_plus_5_over_18()
    {
        var scratch = new double[5];
        Assert.That(TrendStatistics.KendallVariance([3, 1, 4, 5, 9], scratch), Is.EqualTo(5.0 * 4 * 15 / 18).Within(1e-12));
    }

    [Test]
    public void Kendall_variance_subtracts_each_tie_group()
    {
        // n = 6: 6·5·17 = 510; a pair of ties 2·1·9 = 18; a triple 3·2·11 = 66; (510 − 84) / 18.
        var scratch = new double[6];
        Assert.That(TrendStatistics.KendallVariance([1, 2, 1, 2, 3, 2], scratch), Is.EqualTo(426.0 / 18).Within(1e-12));
    }

    [Test]
    public void Z_score_uses_the_continuity_correction()
    {
        Assert.Multiple(() =>
        {
            Assert.That(TrendStatistics.ZScore(10, 16), Is.EqualTo(9.0 / 4).Within(1e-12));
            Assert.That(TrendStatistics.ZScore(-10, 16), Is.EqualTo(-9.0 / 4).Within(1e-12));
            Assert.That(TrendStatistics.ZScore(0, 16), Is.Zero);
            Assert.That(TrendStatistics.ZScore(5, 0), Is.Zero);
        });
    }

    [Test]
    public void Sen_slope_is_the_median_pair_slope()
    {
        // Pair slopes of (0,0) (1,1) (2,2) (3,10): 1, 1, 10/3, 1, 4.5, 8 → median (1 + 10/3) / 2.
        var pairs = new double[6];
        var slope = TrendStatistics.SenSlope([0, 1, 2, 3], [0, 1, 2, 10], pairs, out var count);
        Assert.Multiple(() =>
        {
            Assert.That(count, Is.EqualTo(6));
            Assert.That(slope, Is.EqualTo((1 + (10.0 / 3)) / 2).Within(1e-12));
        });
    }

    [Test]
    public void Sen_confidence_interval_picks_the_ranks_from_the_variance_of_S()
    {
        // Sorted pair slopes 1, 1, 1, 10/3, 4.5, 8; Var S (n = 4) = 4·3·13/18 = 26/3.
        // z = 1: C = √(26/3) = 2.944 → ranks round((6 − C)/2) = 2 and round((6 + C)/2) + 1 = 5.
        var pairs = new double[6];
        TrendStatistics.SenSlope([0, 1, 2, 3], [0, 1, 2, 10], pairs, out _);
        var (lower, upper) = TrendStatistics.SenConfidence(pairs, 26.0 / 3, 1);
        Assert.Multiple(() =>
        {
            Assert.That(lower, Is.EqualTo(1));
            Assert.That(upper, Is.EqualTo(4.5));
        });
    }

    [Test]
    public void Sen_confidence_interval_is_clamped_to_the_extreme_pairs()
    {
        var pairs = new double[6];
        TrendStatistics.SenSlope([0, 1, 2, 3], [0, 1, 2, 10], pairs, out _);
        var (lower, upper) = TrendStatistics.SenConfidence(pairs, 26.0 / 3, 1.96);
        Assert.Multiple(() =>
        {
            Assert.That(lower, Is.EqualTo(1));
            Assert.That(upper, Is.EqualTo(8));
        });
    }

    [Test]
    public void Hamed_Rao_factor_is_about_one_for_independent_noise_and_large_for_a_wander()
    {
        var rng = new Random(7);
        var n = 128;
        var t = Enumerable.Range(0, n).Select(i => (double)i).ToArray();
        var iid = t.Select(_ => rng.NextDouble()).ToArray();
        var walk = new double[n];
        for (var i = 1; i < n; i++)
        {
            walk[i] = (0.98 * walk[i - 1]) + rng.NextDouble() - 0.5;
        }

        var a = new double[n];
        var b = new double[n];
        var c = new int[n];
        var iidFactor = TrendStatistics.HamedRaoFactor(t, iid, 0, a, b, c, out var iidLag);
        var walkFactor = TrendStatistics.HamedRaoFactor(t, walk, 0, a, b, c, out var walkLag);
        Assert.Multiple(() =>
        {
            Assert.That(iidFactor, Is.InRange(1.0, 1.5));
            Assert.That(Math.Abs(iidLag), Is.LessThan(0.25));
            Assert.That(walkFactor, Is.GreaterThan(3));
            Assert.That(walkLag, Is.GreaterThan(0.7));
        });
    }

    [Test]
    public void Median_and_select_match_a_sort()
    {
        var rng = new Random(3);
        for (var n = 1; n < 40; n++)
        {
            var values = Enumerable.Range(0, n).Select(_ => Math.Round(rng.NextDouble() * 10)).ToArray();
            var sorted = values.OrderBy(v => v).ToArray();
            var expected = n % 2 == 1 ? sorted[n / 2] : (sorted[(n / 2) - 1] + sorted[n / 2]) / 2;
            Assert.That(TrendStatistics.Median(values.ToArray()), Is.EqualTo(expected), $"n = {n}");
            var k = rng.Next(n);
            Assert.That(TrendStatistics.Select(values.ToArray(), k), Is.EqualTo(sorted[k]), $"n = {n}, k = {k}");
        }
    }

    [Test]
    public void Select_partitions_around_the_rank_even_with_many_ties()
    {
        // Long arrays take the partitioning path (short ones are insertion-sorted); few distinct values make long
        // runs of ties, as quantised floors do for pair slopes.
        var rng = new Random(11);
        foreach (var distinct in new[] { 1, 2, 3, 50, 100_000 })
        {
            for (var round = 0; round < 20; round++)
            {
                var n = rng.Next(17, 2100);
                var values = Enumerable.Range(0, n).Select(_ => (double)rng.Next(distinct)).ToArray();
                var sorted = values.OrderBy(v => v).ToArray();
                var k = rng.Next(n);
                var work = values.ToArray();
                var selected = TrendStatistics.Select(work, k);
                Assert.That(selected, Is.EqualTo(sorted[k]), $"distinct {distinct}, n {n}, k {k}");
                Assert.That(work.Take(k).All(v => v <= selected) && work.Skip(k + 1).All(v => v >= selected), Is.True, "partitioned");
                Assert.That(work.OrderBy(v => v), Is.EqualTo(sorted), "a permutation");
            }
        }
    }

    [Test]
    public void Sen_slope_pair_slopes_and_interval_do_not_depend_on_the_code_path()
    {
        // The vectorised pair slopes and S, and the interval selected around the median, must equal the plain
        // definitions (irregular times take the scalar path; equal times are skipped).
        var rng = new Random(5);
        for (var round = 0; round < 30; round++)
        {
            var n = rng.Next(3, 70);
            var t = new double[n];
            for (var i = 1; i < n; i++)
            {
                t[i] = t[i - 1] + (round % 3 == 0 && rng.Next(5) == 0 ? 0 : rng.Next(1, 4));
            }

            var y = t.Select(_ => Math.Round(rng.NextDouble() * 20)).ToArray();
            var expectedPairs = new List<double>();
            long expectedS = 0;
            for (var i = 0; i < n; i++)
            {
                for (var j = i + 1; j < n; j++)
                {
                    expectedS += Math.Sign(y[j] - y[i]);
                    if (t[j] > t[i])
                    {
                        expectedPairs.Add((y[j] - y[i]) / (t[j] - t[i]));
                    }
                }
            }

            var pairs = new double[n * (n - 1) / 2];
            var slope = TrendStatistics.SenSlope(t, y, pairs, out var count);
            var sorted = expectedPairs.OrderBy(v => v).ToArray();
            var hinted = TrendStatistics.SenConfidence(pairs.AsSpan(0, count), 40, 1.96, count / 2);
            var plain = TrendStatistics.SenConfidence(expectedPairs.ToArray(), 40, 1.96);
            Assert.Multiple(() =>
            {
                Assert.That(TrendStatistics.KendallS(y), Is.EqualTo(expectedS));
                Assert.That(count, Is.EqualTo(sorted.Length));
                Assert.That(pairs.Take(count).OrderBy(v => v), Is.EqualTo(sorted));
                Assert.That(slope, Is.EqualTo(TrendStatistics.Median(sorted.ToArray())));
                Assert.That(hinted, Is.EqualTo(plain));
            });
        }
    }

    [Test]
    public void Normal_tail_and_quantile_match_tables()
    {
        Assert.Multiple(() =>
        {
            Assert.That(NormalDistribution.UpperTail(0), Is.EqualTo(0.5).Within(1e-7));
            Assert.That(NormalDistribution.UpperTail(1.959964), Is.EqualTo(0.025).Within(1e-6));
            Assert.That(NormalDistribution.UpperTail(3.090232), Is.EqualTo(0.001).Within(1e-7));
            Assert.That(NormalDistribution.UpperTail(-1.644854), Is.EqualTo(0.95).Within(1e-6));
            Assert.That(NormalDistribution.Quantile(0.975), Is.EqualTo(1.959964).Within(1e-5));
            Assert.That(NormalDistribution.Quantile(0.001), Is.EqualTo(-3.090232).Within(1e-5));
        });
    }
}
