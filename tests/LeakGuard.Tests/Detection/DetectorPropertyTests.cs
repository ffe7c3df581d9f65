using FsCheck.NUnit;
using LeakGuard.Detection;

// FsCheck supplies the arguments; NUnit's analyzer does not know the Property attribute.
#pragma warning disable NUnit1027

namespace LeakGuard.Tests.Detection;

/// <summary>Properties of one horizon's analysis over seeded random series (FsCheck picks the seeds and shapes).</summary>
public sealed class DetectorPropertyTests
{
    private static readonly DateTimeOffset Origin = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    // No quantum and no configured minimum: only rank statistics and noise-relative rules, which are
    // invariant to shifting and scaling.
    private static readonly SignalProfile Plain = new();

    private static readonly DetectorSettings Settings = DetectorSettings.Create(TimeSpan.FromMinutes(10), TimeSpan.FromSeconds(1), TimeSpan.Zero, new DetectionOptions());

    [Property(MaxTest = 200)]
    public bool Shuffled_series_is_not_a_leak(int seed, byte trend)
    {
        var rng = new Random(seed);
        var y = Enumerable.Range(0, 64).Select(i => (i * (trend + 1.0)) + (rng.NextDouble() * 100)).ToArray();
        rng.Shuffle(y);
        return !Analyze(y, Plain).Passed;
    }

    [Property(MaxTest = 200)]
    public bool Strictly_increasing_series_with_enough_growth_is_a_leak(int seed, byte step)
    {
        var rng = new Random(seed);
        var increment = step + 1.0;
        var y = Enumerable.Range(0, 64).Select(i => 1e3 + (i * increment) + (rng.NextDouble() * increment * 0.5)).ToArray();
        var memory = Settings.ForSignal(LeakSignals.ManagedHeap);
        return Analyze(y, Plain).Passed && Analyze(y.Select(v => v * 1e6).ToArray(), memory).Passed;
    }

    [Property(MaxTest = 200)]
    public bool Verdict_is_invariant_to_adding_a_constant_and_to_scaling(int seed, int shift, byte power, bool leaking)
    {
        var rng = new Random(seed);
        var slope = leaking ? rng.Next(1, 50) : 0;
        var y = Enumerable.Range(0, 64).Select(i => (double)((slope * i) + rng.Next(0, 400))).ToArray();
        var scale = Math.Pow(2, (power % 20) - 10);
        var a = Analyze(y, Plain);
        var b = Analyze(y.Select(v => v + shift).ToArray(), Plain);
        var c = Analyze(y.Select(v => v * scale).ToArray(), Plain);
        return a.Outcome == b.Outcome && a.Outcome == c.Outcome
            && Math.Abs(a.PValue - b.PValue) < 1e-9 && Math.Abs(a.PValue - c.PValue) < 1e-9;
    }

    [Property(MaxTest = 200)]
    public bool Analysis_never_throws_on_extreme_finite_input(double[] values)
    {
        var y = (values ?? []).Where(double.IsFinite).Take(64).ToArray();
        _ = Analyze(y, Plain);
        _ = Analyze(y, Settings.ForSignal(LeakSignals.ManagedHeap));
        _ = Analyze(y, Settings.ForSignal(LeakSignals.Threads));
        return true;
    }

    private static HorizonResult Analyze(double[] y, SignalProfile profile)
    {
        var points = y.Select((v, i) => new SignalPoint { Timestamp = Origin.AddSeconds(10 * i), Min = v }).ToArray();
        return new HorizonAnalyzer(Settings, 64).Analyze(points, profile);
    }
}
