using LeakGuard.DetectionQuality.Generation;
using NUnit.Framework;

namespace LeakGuard.Tests.Detection;

/// <summary>
/// Metamorphic properties issue 16 asks for, which the detector of 2026-12-02 (main 4cc0a76, buckets aligned to the
/// clock's epoch, a quantum relative to the level) failed: a time shift, an added constant and 10-s instead of 1-s
/// sampling change no decision. Same cases and comparison as <see cref="MetamorphicPropertyTests"/>.
/// </summary>
[Category("Metamorphic")]
public sealed class MetamorphicInvarianceTests
{
    [TestCase(7 * 60 + 13)]
    [TestCase(3 * 3600 + 60)]
    public void Shifting_every_timestamp_changes_no_decision(int seconds)
    {
        var differences = MetamorphicReplay.Differences(p => MetamorphicReplay.BeforeAndAfter(ScenarioGenerator.Render(p), TimeSpan.FromSeconds(seconds), v => v, new DetectionOptions()));
        Assert.That(differences, Is.Empty, string.Join(Environment.NewLine, differences));
    }

    [Test]
    [Ignore("Fails on the shipped detector (3 of 32 cases on 2026-12-07 with the shapes under a rise: leak+cache 0 no longer called, leak+level-shifts 1 Leaking at 14.3 h instead of 6.4 h, leak+gc-sawtooth 0 ends Stable instead of Suspected): its plausibility caps (warm-up ≤ +100 %, daily cycle ≤ ±30 %) are relative to the level, so a constant of 3 × the level loosens them. Caps in units of the floors' range pass but cost lead time on held-out seeds; see docs/detection.md §5.")]
    public void Adding_a_constant_changes_no_decision_when_no_minimum_growth_applies()
    {
        var options = new DetectionOptions { MinGrowthBytes = 0, MinGrowthPercent = 0 };
        var differences = MetamorphicReplay.Differences(p => MetamorphicReplay.BeforeAndAfter(ScenarioGenerator.Render(p), TimeSpan.Zero, v => v + (3 * p.Level), options));
        Assert.That(differences, Is.Empty, string.Join(Environment.NewLine, differences));
    }

    [Test]
    [Ignore("Fails on the shipped detector (4 of 32 cases on 2026-12-07 with the shapes under a rise: leak+cache 0 first Leaking 3.92 h against 3.64 h, leak+mixed 1 2.29 h against 2.31 h, leak+gc-sawtooth 0 final Suspected against Stable, leak+gc-sawtooth 1 0.25 h against 0.31 h, before its leak begins): the finest bucket is 2 × the interval, and a floor is the minimum of 10 times as many samples at 1 s, a narrower rate interval that moves urgency; see docs/detection.md §5.")]
    public void Sampling_every_10_s_instead_of_every_second_changes_no_decision()
    {
        var differences = MetamorphicReplay.Differences(p =>
        {
            var run = ScenarioGenerator.Render(MetamorphicReplay.Shorten(p, TimeSpan.FromHours(4), int.MaxValue) with { Interval = 1 });
            var times = run.Times.Where((_, i) => i % 10 == 0).ToArray();
            var values = run.Values.Where((_, i) => i % 10 == 0).ToArray();
            var options = new DetectionOptions();
            return (MetamorphicReplay.Replay(run, run.Times, run.Values, 1, TimeSpan.Zero, v => v, options),
                    MetamorphicReplay.Replay(run, times, values, 10, TimeSpan.Zero, v => v, options));
        });
        Assert.That(differences, Is.Empty, string.Join(Environment.NewLine, differences));
    }
}
