using FsCheck.NUnit;
using LeakGuard.Detection;

// FsCheck supplies the arguments; NUnit's analyzer does not know the Property attribute.
#pragma warning disable NUnit1027

namespace LeakGuard.Tests.Detection;

/// <summary>Properties of the model comparison over seeded random series (FsCheck picks the seeds and shapes).</summary>
public sealed class DetectorPropertyTests
{
    private const int N = 64;
    private const double Minute = 60;

    private static double[] Times(double step = Minute, double shift = 0) => Enumerable.Range(0, N).Select(i => shift + (i * step)).ToArray();

    private static GrowthAssessment Assess(double[] t, double[] y, double longestWarmUp = 3600) =>
        new GrowthComparison().Assess(t, y, 0, longestWarmUp);

    [Property(MaxTest = 100)]
    public bool Shuffled_series_is_not_a_steady_rise(int seed, byte trend)
    {
        var rng = new Random(seed);
        var y = Enumerable.Range(0, N).Select(i => 1e6 + (i * (trend + 1.0)) + (rng.NextDouble() * 100)).ToArray();
        rng.Shuffle(y);
        return Assess(Times(), y).Evidence < 3;
    }

    [Property(MaxTest = 100)]
    public bool A_long_steady_rise_is_unbounded(int seed, byte step)
    {
        // A rise over 64 minutes that no warm-up shorter than 6 minutes, no cycle of ±30 % and no five levels explain.
        var rng = new Random(seed);
        var increment = 1e4 * (step + 1.0);
        var y = Enumerable.Range(0, N).Select(i => 1e6 + (i * increment) + (rng.NextDouble() * increment * 0.5)).ToArray();
        var a = Assess(Times(), y, longestWarmUp: 360);
        return a.Evidence >= 6 && a.Slope > 0 && a.Slope - (2 * a.SlopeError) > 0;
    }

    [Property(MaxTest = 100)]
    public bool Evidence_is_invariant_to_scaling_and_to_where_the_clock_starts(int seed, int shift, byte power, bool leaking)
    {
        var rng = new Random(seed);
        var y = Enumerable.Range(0, N).Select(i => 1e6 + (leaking ? i * 2e3 : 0) + (rng.NextDouble() * 3e4)).ToArray();
        var scale = Math.Pow(10, (power % 12) - 4);
        var baseline = Assess(Times(), y);
        var scaled = Assess(Times(shift: shift * 7.0), y.Select(v => v * scale).ToArray());
        return Math.Abs(baseline.Evidence - scaled.Evidence) < 1e-6 * Math.Max(1, Math.Abs(baseline.Evidence))
            && Math.Abs((baseline.Slope * scale) - scaled.Slope) <= 1e-9 * Math.Abs(scaled.Slope) + 1e-12;
    }

    [Property(MaxTest = 100)]
    public bool Hostile_values_never_throw(int seed, bool nan, bool huge)
    {
        var rng = new Random(seed);
        var y = Enumerable.Range(0, N).Select(_ => (huge ? 1e300 : 1) * (rng.NextDouble() - 0.5)).ToArray();
        if (nan)
        {
            y[rng.Next(N)] = double.NaN;
        }

        var a = Assess(Times(), y);
        return !double.IsNaN(a.Slope);
    }
}
