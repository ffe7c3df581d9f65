using LeakGuard.Detection;
using NUnit.Framework;

namespace LeakGuard.Tests.Detection;

/// <summary>The level-shift guard: growth made of a few load steps is not a leak, a steady or finely stepped one still is.</summary>
public sealed class LevelShiftTests
{
    private const double Level = 512.0 * 1024 * 1024;
    private static readonly DateTimeOffset Origin = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    // The 11.4-h horizon of the evaluation's configuration: 64 floors 640 s apart. The correlation-span rule is off: a
    // step's residuals read as correlated noise on some seeds (the rule runs before the guard, and in the corpus the
    // alarmed load steps passed it); here the guard itself is under test.
    private static readonly DetectorSettings Settings = DetectorSettings.Create(
        TimeSpan.FromMinutes(10), TimeSpan.FromSeconds(5), TimeSpan.FromMinutes(5), new DetectionOptions { Window = TimeSpan.FromMinutes(10) })
        with { CorrelationSpans = 0 };

    private static HorizonResult Analyze(Func<int, double> shape, int seed, bool judgeShifts, DetectorSettings? settings = null)
    {
        var rng = new Random(seed);
        var points = Enumerable.Range(0, 64).Select(i => new SignalPoint
        {
            Timestamp = Origin.AddSeconds(640 * i),
            Min = Level * (1 + shape(i) + (0.01 * Gaussian(rng))),
        }).ToArray();
        return new HorizonAnalyzer(settings ?? Settings, 64).Analyze(points, Settings.ForSignal(LeakSignals.ManagedHeap), true, judgeShifts: judgeShifts);
    }

    private static double Gaussian(Random rng) =>
        Math.Sqrt(-2 * Math.Log(1 - rng.NextDouble())) * Math.Cos(2 * Math.PI * rng.NextDouble());

    [TestCase(1)]
    [TestCase(2)]
    [TestCase(3)]
    public void Three_load_steps_that_climb_pass_every_trend_check_but_are_judged_level_shifts(int seed)
    {
        static double Steps(int i) => 0.1 * (i / 16);
        Assert.Multiple(() =>
        {
            Assert.That(Analyze(Steps, seed, false).Outcome, Is.EqualTo(HorizonOutcome.Growing), "the scenario does not exercise the guard");
            Assert.That(Analyze(Steps, seed, true).Outcome, Is.EqualTo(HorizonOutcome.LevelShifts));
            Assert.That(Analyze(Steps, seed, true, Settings with { LevelShiftRatio = 0 }).Outcome, Is.EqualTo(HorizonOutcome.Growing), "0 must switch the guard off");
        });
    }

    [TestCase(1)]
    [TestCase(2)]
    [TestCase(3)]
    public void A_steady_leak_and_a_staircase_of_many_jumps_are_still_growing(int seed)
    {
        static double Ramp(int i) => 0.004 * i;
        static double Staircase(int i) => 0.016 * (i / 4);
        Assert.Multiple(() =>
        {
            Assert.That(Analyze(Ramp, seed, true).Outcome, Is.EqualTo(HorizonOutcome.Growing));
            Assert.That(Analyze(Staircase, seed, true).Outcome, Is.EqualTo(HorizonOutcome.Growing));
        });
    }

    [Test]
    public void The_reason_names_the_level_shifts()
    {
        var reasons = VerdictReasons.Build(Settings);
        Assert.That(reasons[3, (int)HorizonOutcome.LevelShifts], Does.Contain("level shifts"));
    }
}
