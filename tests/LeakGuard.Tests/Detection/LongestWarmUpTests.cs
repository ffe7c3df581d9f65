using LeakGuard.Detection;
using LeakGuard.DetectionQuality;
using LeakGuard.DetectionQuality.Generation;
using NUnit.Framework;

namespace LeakGuard.Tests.Detection;

/// <summary>
/// The longest warm-up bounds both sides of question 2: a rise that keeps its pace for longer than the longest warm-up
/// (<see cref="GrowthComparison.LongestWarmUpWindows"/> windows) is no warm-up, so no levelling-off curve with a longer
/// time constant may explain it away either. Replayed as <c>leakguard analyze</c> replays a file.
/// </summary>
[TestFixture]
public sealed class LongestWarmUpTests
{
    [Test]
    public void A_leak_that_rises_for_a_day_is_not_a_warm_up_with_a_day_long_time_constant()
    {
        // Tuning leak+gc-sawtooth seed 35: 4.4 GB, noisy (σ 3 %, φ 0.965, teeth faster than the 2-min sampling), flat for
        // 54 h, then 2.9 %/h in steps of 128 min. At three days a levelling-off curve's time constant could reach 0.3 × the
        // span, 21 h: it bent through the staircase's noise as well as a straight rise fitted it, and the run ended Stable
        // ("a warm-up or a cache levelling off") 40 h into the rise, memory more than doubled.
        var run = ScenarioGenerator.Generate(Family.All.Single(f => f.Name == "leak+gc-sawtooth"), 35);
        var onset = run.Onset!.Value;
        var first = RunReplay.Analyze(run).Timeline.FirstOrDefault(v => v.State == LeakState.Leaking);
        Assert.That(first, Is.Not.Null, "never Leaking");
        var leaking = (first!.EvaluatedAt - run.Parameters.Start).TotalSeconds;
        Assert.Multiple(() =>
        {
            Assert.That(leaking, Is.GreaterThan(onset), "Leaking before the leak began");
            Assert.That(leaking, Is.LessThan(onset + TimeSpan.FromHours(24).TotalSeconds), "not Leaking within a day of the onset");
        });
    }
}
