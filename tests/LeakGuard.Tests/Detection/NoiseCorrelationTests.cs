using LeakGuard.Detection;
using NUnit.Framework;

namespace LeakGuard.Tests.Detection;

/// <summary>The noise's lag-1 autocorrelation as a horizon measures it: the correlation-span rule stands on it.</summary>
public sealed class NoiseCorrelationTests
{
    private const double Level = 512.0 * 1024 * 1024;
    private static readonly DateTimeOffset Origin = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    private static DetectorSettings Settings() => DetectorSettings.Create(
        TimeSpan.FromMinutes(10), TimeSpan.FromSeconds(5), TimeSpan.FromMinutes(5), new DetectionOptions { Window = TimeSpan.FromMinutes(10) });

    /// <summary>The mean lag-1 estimate over many flat 64-floor windows of AR(1) noise with correlation <paramref name="phi"/> per floor.</summary>
    private static double MeanEstimate(double phi, int windows)
    {
        var settings = Settings();
        var analyzer = new HorizonAnalyzer(settings, 64);
        var profile = settings.ForSignal(LeakSignals.ManagedHeap);
        var rng = new Random(11);
        var sum = 0.0;
        for (var w = 0; w < windows; w++)
        {
            var ar = Gaussian(rng);
            var points = new SignalPoint[64];
            for (var i = 0; i < points.Length; i++)
            {
                ar = (phi * ar) + (Math.Sqrt(1 - (phi * phi)) * Gaussian(rng));
                points[i] = new SignalPoint { Timestamp = Origin.AddSeconds(40 * i), Min = Level * (1 + (0.01 * ar)) };
            }

            sum += analyzer.Analyze(points, profile, true).LagOne;
        }

        return sum / windows;
    }

    private static double Gaussian(Random rng) =>
        Math.Sqrt(-2 * Math.Log(1 - rng.NextDouble())) * Math.Cos(2 * Math.PI * rng.NextDouble());

    [Test]
    public void Strongly_correlated_noise_is_not_read_as_weakly_correlated()
    {
        // AR(0.98) per 5-s sample is ρ ≈ 0.85 between 40-s floors: 20 correlation times then need ~120 floors, so a
        // 64-floor window must not be judged. Residuals from a line per half lose more of such noise than a mean
        // correction assumes: Kendall's (1 + 3ρ)/m read it as ~0.70 on average, short enough to pass the rule.
        var mean = MeanEstimate(0.85, 200);
        var tau = -1 / Math.Log(mean);
        Assert.Multiple(() =>
        {
            Assert.That(mean, Is.InRange(0.80, 0.90));
            Assert.That(Settings().CorrelationSpans * tau, Is.GreaterThan(64), "a 64-floor window would pass the correlation-span rule");
        });
    }

    [Test]
    public void Uncorrelated_and_moderately_correlated_noise_keep_their_estimates()
    {
        // The correction must not turn weak correlation into strong: leaks under such noise are judged on 64 floors.
        Assert.Multiple(() =>
        {
            Assert.That(MeanEstimate(0, 200), Is.InRange(-0.05, 0.05));
            Assert.That(MeanEstimate(0.5, 200), Is.InRange(0.43, 0.60));
        });
    }
}
