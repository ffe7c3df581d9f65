using LeakGuard.Detection;
using NUnit.Framework;

namespace LeakGuard.Tests.Detection;

/// <summary>The pooled noise-correlation estimate and the AR(1) variance inflation it feeds.</summary>
public sealed class NoisePoolTests
{
    private const double Level = 512.0 * 1024 * 1024;
    private static readonly DateTimeOffset Origin = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    [Test]
    public void Ar1_factor_matches_the_closed_form_for_four_points_and_is_one_without_correlation()
    {
        // n = 4: only lag 1 counts, weight (3·2·1)/(4·3·2) · 2 = 1/2.
        var expected = 1 + (0.5 * (6 / Math.PI) * Math.Asin(0.25));
        Assert.Multiple(() =>
        {
            Assert.That(TrendStatistics.HamedRaoFactorAr1(0.5, 4), Is.EqualTo(expected).Within(1e-12));
            Assert.That(TrendStatistics.HamedRaoFactorAr1(0, 64), Is.EqualTo(1));
            Assert.That(TrendStatistics.HamedRaoFactorAr1(-0.4, 64), Is.EqualTo(1));
        });
    }

    [Test]
    public void Ar1_factor_approaches_one_plus_twice_the_rank_correlations_for_long_series()
    {
        double sum = 0;
        for (var k = 1; k < 200; k++)
        {
            sum += (6 / Math.PI) * Math.Asin(Math.Pow(0.7, k) / 2);
        }

        var factor = TrendStatistics.HamedRaoFactorAr1(0.7, 20000);
        Assert.That(factor, Is.EqualTo(1 + (2 * sum)).Within(0.01 * (1 + (2 * sum))));
        Assert.That(TrendStatistics.HamedRaoFactorAr1(0.85, 64), Is.LessThan(TrendStatistics.HamedRaoFactorAr1(0.85, 256)));
    }

    [Test]
    public void Mann_Kendall_with_the_known_correlation_is_calibrated_where_the_windows_own_factor_is_not()
    {
        // 64 points of AR(1) noise with ρ = 0.85 (the AR(0.98) corpus cells on the 43-min horizon), no trend:
        // a one-sided 5 % test should reject about 5 % of the series.
        const int N = 64;
        const int Series = 2000;
        var rng = new Random(11);
        var t = Enumerable.Range(0, N).Select(i => (double)i).ToArray();
        var y = new double[N];
        var a = new double[N];
        var b = new double[N];
        var c = new int[N];
        var pairs = new double[N * (N - 1) / 2];
        var known = TrendStatistics.HamedRaoFactorAr1(0.85, N);
        var ownRejects = 0;
        var knownRejects = 0;
        for (var run = 0; run < Series; run++)
        {
            var x = Gaussian(rng);
            for (var i = 0; i < N; i++)
            {
                x = (0.85 * x) + (Math.Sqrt(1 - (0.85 * 0.85)) * Gaussian(rng));
                y[i] = x;
            }

            var s = TrendStatistics.KendallS(y);
            var variance = TrendStatistics.KendallVariance(y, a);
            var slope = TrendStatistics.SenSlope(t, y, pairs, out _);
            var own = TrendStatistics.HamedRaoFactor(t, y, slope, a, b, c, out _);
            ownRejects += NormalDistribution.UpperTail(TrendStatistics.ZScore(s, variance * own)) <= 0.05 ? 1 : 0;
            knownRejects += NormalDistribution.UpperTail(TrendStatistics.ZScore(s, variance * known)) <= 0.05 ? 1 : 0;
        }

        var ownRate = ownRejects / (double)Series;
        var knownRate = knownRejects / (double)Series;
        TestContext.Out.WriteLine($"rejected at 5 %: window's own factor {ownRate:P1}, known-correlation factor {knownRate:P1}");
        Assert.Multiple(() =>
        {
            Assert.That(knownRate, Is.InRange(0.02, 0.08), "with the known correlation");
            Assert.That(ownRate, Is.GreaterThan(2 * knownRate), "with the window's own factor");
        });
    }

    [Test]
    public void Pooled_lag_one_recovers_the_floors_correlation_that_one_window_underestimates()
    {
        // The evaluation's configuration: 5-s samples of AR(0.98) noise, so the 40-s floors of level 1 correlate at ~0.85.
        var settings = Settings() with { NoisePoolPieces = 16 };
        var detector = new SignalDetector(LeakSignals.ManagedHeap, settings);
        var replay = new SeriesReplay(detector, settings, null);
        var rng = new Random(5);
        var ar = 0.0;
        var samples = new List<double>();
        var judging = 0;
        var windows = 0;
        for (var t = 0.0; t < 12 * 3600; t += 5)
        {
            ar = (0.98 * ar) + (Math.Sqrt(1 - (0.98 * 0.98)) * 0.01 * Gaussian(rng));
            samples.Add(Level * (1 + ar));
            if (replay.Add(Origin.AddSeconds(t), samples[^1]) is not null && detector.LatestResult(1) is { Points: 64 } window && t % 40 < 5)
            {
                // One window's own (Kendall-corrected) estimate: below exp(−1/3.2) its 64 floors span the 20 correlation
                // times the span rule asks for, and the window judges a trend.
                judging += window.LagOne < Math.Exp(-20.0 / 64) ? 1 : 0;
                windows++;
            }
        }

        var floors = samples.Chunk(8).Select(g => g.Min()).ToArray();
        var mean = floors.Average();
        double num = 0;
        double den = 0;
        for (var i = 0; i < floors.Length; i++)
        {
            den += (floors[i] - mean) * (floors[i] - mean);
            num += i > 0 ? (floors[i] - mean) * (floors[i - 1] - mean) : 0;
        }

        var truth = num / den;
        var judgingShare = judging / (double)windows;
        TestContext.Out.WriteLine($"floors' lag-1 {truth:0.000}, windows judging {judgingShare:P1} of {windows}, pooled {detector.PooledLagOne(1):0.000}");
        Assert.Multiple(() =>
        {
            Assert.That(truth, Is.InRange(0.8, 0.95), "the floors' lag-1 over 12 h");
            Assert.That(judgingShare, Is.GreaterThan(0.05), "one window's own estimate reads low now and then");

            // Bucket minima of AR noise are less biased by a fitted line than AR(1) noise of the same lag-1, so the AR(1)
            // correction errs high (conservative), never low.
            Assert.That(detector.PooledLagOne(1), Is.InRange(truth - 0.02, truth + 0.06), "pooled, level 1");
            Assert.That(new SignalDetector(LeakSignals.ManagedHeap, Settings() with { NoisePoolPieces = 0 }).PooledLagOne(1), Is.NaN, "no pool when off");
        });
    }

    [Test]
    public void A_window_of_slowly_wandering_noise_judged_with_the_pooled_correlation_passes_less_often()
    {
        // 64 floors of AR(1) noise with ρ = 0.87 (the AR(0.98) corpus cells' 40-s floors) and σ = 3 %, no trend: the window's
        // own lag-1 and Hamed–Rao factor read low now and then, and such windows pass every check.
        var settings = Settings();
        var analyzer = new HorizonAnalyzer(settings, 64);
        var profile = settings.ForSignal(LeakSignals.ManagedHeap);
        var rng = new Random(21);
        var points = new SignalPoint[64];
        var ownPasses = 0;
        var pooledPasses = 0;
        for (var run = 0; run < 3000; run++)
        {
            var x = Gaussian(rng);
            for (var i = 0; i < points.Length; i++)
            {
                x = (0.87 * x) + (Math.Sqrt(1 - (0.87 * 0.87)) * Gaussian(rng));
                points[i] = new SignalPoint { Timestamp = Origin.AddSeconds(40 * i), Min = Level * (1 + (0.03 * x)) };
            }

            ownPasses += analyzer.Analyze(points, profile, true).Passed ? 1 : 0;
            pooledPasses += analyzer.Analyze(points, profile, true, 0.87).Passed ? 1 : 0;
        }

        TestContext.Out.WriteLine($"windows passing: own estimate {ownPasses}, pooled {pooledPasses} of 3000");
        Assert.Multiple(() =>
        {
            Assert.That(ownPasses, Is.GreaterThanOrEqualTo(10), "the window's own estimate");
            Assert.That(pooledPasses, Is.LessThanOrEqualTo(ownPasses / 3), "the pooled estimate");
        });
    }

    private static DetectorSettings Settings() => DetectorSettings.Create(
        TimeSpan.FromMinutes(10), TimeSpan.FromSeconds(5), TimeSpan.FromMinutes(5), new DetectionOptions { Window = TimeSpan.FromMinutes(10) });

    private static double Gaussian(Random rng) =>
        Math.Sqrt(-2 * Math.Log(1 - rng.NextDouble())) * Math.Cos(2 * Math.PI * rng.NextDouble());
}
