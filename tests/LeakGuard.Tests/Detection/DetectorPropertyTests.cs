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
        // Equal infinities count as equal: no rising model at all (on noise without a trend) is −∞ on both sides.
        return (baseline.Evidence == scaled.Evidence || Math.Abs(baseline.Evidence - scaled.Evidence) < 1e-6 * Math.Max(1, Math.Abs(baseline.Evidence)))
            && Math.Abs((baseline.Slope * scale) - scaled.Slope) <= 1e-9 * Math.Abs(scaled.Slope) + 1e-12;
    }

    // A ±20 % daily cycle over another bounded shape, which neither explains alone, so a rise under the cycle won until the
    // bounded side could stack the two (once a day has been seen): a +30 % load step a third of the way into 30 hours (23
    // of these 40 seeds Suspected before), a cache filling by 40 % over the first half of 30 hours and then full (34 of 40).
    [NUnit.Framework.TestCase("step", 30)]
    [NUnit.Framework.TestCase("cache", 30)]
    public void A_daily_cycle_over_another_bounded_shape_is_bounded_for_every_seed(string shape, double hours)
    {
        var failing = new List<int>();
        var span = hours * 3600;
        for (var seed = 0; seed < 40; seed++)
        {
            var rng = new Random(seed);
            var phase = rng.NextDouble() * 2 * Math.PI;
            var t = Times(step: span / (N - 1));
            var y = t.Select(x => 1e6 * (1 + (0.2 * Math.Cos((2 * Math.PI * x / 86400) + phase))
                + (shape == "step" ? (x >= span / 3 ? 0.3 : 0) : 0.4 * Math.Min(1, x / (span / 2))) + (0.005 * rng.NextDouble()))).ToArray();
            if (Assess(t, y, longestWarmUp: 21600).Evidence >= 3)
            {
                failing.Add(seed);
            }
        }

        NUnit.Framework.Assert.That(failing, NUnit.Framework.Is.Empty);
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

    [NUnit.Framework.Test]
    public void A_straight_rise_keeps_a_narrow_rate_interval_for_every_seed()
    {
        // The rising model once went by misfit alone, so for 36 of seeds -100…100 a daily cycle joined the straight rise it
        // could not improve: the two are nearly collinear over an hour, the rate's error grew tenfold past the rate, and a
        // clear leak was not even material.
        var failing = new List<int>();
        for (var seed = -100; seed <= 100; seed++)
        {
            var rng = new Random(seed);
            var y = Enumerable.Range(0, N).Select(i => 1e6 + (i * 1e4) + (rng.NextDouble() * 5e3)).ToArray();
            var a = Assess(Times(), y, longestWarmUp: 360);
            if (!(a.Evidence >= 6 && a.Slope - (2 * a.SlopeError) > 0))
            {
                failing.Add(seed);
            }
        }

        NUnit.Framework.Assert.That(failing, NUnit.Framework.Is.Empty);
    }

    [Property(MaxTest = 100)]
    public bool A_daily_cycle_of_the_largest_plausible_size_is_not_a_leak_from_any_part_of_the_day(int seed, byte phase, byte hours, byte size)
    {
        // A cycle of ±24-30 % of its mean, seen for 4-20 hours from any time of day (10-minute floors, 0.2 % noise): the
        // cycle's amplitude is capped at 30 % of its own mean level. It was capped at 30 % of the floors' median, which
        // the part of the day seen moves: seen from its trough for seven hours, a ±29 % cycle's floors have their median
        // at 82 % of its mean, the cap fell to ±24.6 % and a steady rise explained the history clearly better.
        var rng = new Random(seed);
        var amplitude = 0.24 + (0.06 * size / 255.0);
        var peak = 24 * 3600 * phase / 256.0;
        var seen = 3600 * (4 + (16 * hours / 255.0));
        var t = Enumerable.Range(0, N).Select(i => i * seen / (N - 1)).ToArray();
        var y = t.Select(x => 1e9 * (1 + (amplitude * Math.Cos(2 * Math.PI * (x - peak) / 86400)) + (rng.NextDouble() * 0.002))).ToArray();
        return Assess(t, y, longestWarmUp: 6 * 3600).Evidence < 9;
    }
}
