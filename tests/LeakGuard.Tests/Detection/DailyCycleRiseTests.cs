using LeakGuard.Detection;
using LeakGuard.DetectionQuality;
using LeakGuard.DetectionQuality.Generation;
using NUnit.Framework;

namespace LeakGuard.Tests.Detection;

/// <summary>
/// Question 2 (Leaking by the history) and a daily cycle's rising half: a rise that began within the first day watched
/// is called unbounded only once it has lasted half a day or grown more than a cycle can swing; a rise that began after
/// a whole day showed nothing like it is not held back. And the longest warm-up bounds both sides of the question: a rise
/// that keeps its pace for longer than it (<see cref="GrowthComparison.LongestWarmUpWindows"/> windows) is no warm-up,
/// so no levelling-off curve with a longer time constant explains it away either. Replayed as <c>leakguard analyze</c>
/// replays a file.
/// </summary>
[TestFixture]
public sealed class DailyCycleRiseTests
{
    private const double Hour = 3600;

    [Test]
    public void Day_one_of_a_cycle_with_a_second_harmonic_is_not_Leaking()
    {
        // Tuning seed 119 of the daily-cycle family: ±13 % with a 5.6 % second harmonic and a weekly ±3 %, peak at 23:12,
        // watched from 00:56. The harmonic steepens the rise beyond what one sinusoid capped at ±30 % fits, so 20 h in a
        // straight rise explains the first day clearly better: held back as a cycle's rising half (measured 2026-12-07).
        // Until then tuning seed 14 (±10 %, a 1 % harmonic, Leaking at 9.5 h before the hold) was this test's case; since a
        // daily cycle joins a rise only once a day has been seen, it no longer reads as a rise at all.
        var run = ScenarioGenerator.Generate(Family.All.Single(f => f.Name == "daily-cycle"), 119);
        var timeline = RunReplay.Analyze(run).Timeline;
        Assert.Multiple(() =>
        {
            Assert.That(timeline.Where(v => v.State == LeakState.Leaking).Select(v => $"{run.HoursAt(v.EvaluatedAt):0.0} h: {v.Reason}"), Is.Empty);
            Assert.That(Reasons(run), Has.Some.Contains("a daily cycle's rising half"), "the held-back verdict says what holds it");
        });
    }

    [Test]
    public void A_rise_begun_on_the_first_day_is_Leaking_once_it_has_lasted_half_a_day()
    {
        // 3 %/h from 2 h into a flat life, no limit (urgency cannot call it): Leaking by its history only after half a day
        // of rise (it grows 36 % in that time, less than a cycle's swing).
        var (onset, leaking, reasons) = Leak(onsetHours: 2);
        Assert.Multiple(() =>
        {
            Assert.That(leaking, Is.Not.Null, "never Leaking");
            Assert.That(leaking, Is.GreaterThan(onset + (11 * Hour)), "Leaking before the rise could have outlasted a cycle's rising half");
            Assert.That(leaking, Is.LessThan(onset + (15 * Hour)), "held back long after half a day of rise");
            Assert.That(reasons, Has.Some.Contains("a daily cycle's rising half"));
        });
    }

    [Test]
    public void A_rise_begun_after_a_whole_flat_day_is_not_held_back_as_a_cycle()
    {
        // The same rise 28 h into the life: the day before it shows no such rise, so no cycle could repeat it, and it is
        // Leaking as soon as it is older than a warm-up (6 h) rather than half a day.
        var (onset, leaking, reasons) = Leak(onsetHours: 28);
        Assert.Multiple(() =>
        {
            Assert.That(leaking, Is.Not.Null, "never Leaking");
            Assert.That(leaking, Is.LessThan(onset + (10 * Hour)));
            Assert.That(reasons, Has.None.Contains("a daily cycle's rising half"));
        });
    }

    /// <summary>
    /// At three days a levelling-off curve's time constant could reach 0.3 × the span, 21 h: it bent through a staircase
    /// leak's noise as well as a straight rise fitted it. Tuning leak+cache seed 163 (448 MB, σ 1 %, φ 0.88, 6.5 %/h in
    /// steps of 3 h from 34.6 h) is Leaking 16.8 h after its onset with the bound and 28.8 h after it without; tuning
    /// leak+spikes seed 192 (7.3 h after its onset) never is without it (both measured 2026-12-07 by removing the bound
    /// from <see cref="GrowthComparison"/>, with median floors). Until then leak+gc-sawtooth seed 35 was this test's case:
    /// since a coarse floor is the median of its fine groups' minima, the bound no longer decides it.
    /// </summary>
    [TestCase("leak+cache", 163)]
    [TestCase("leak+spikes", 192)]
    public void A_leak_that_rises_for_a_day_is_not_a_warm_up_with_a_day_long_time_constant(string family, int seed)
    {
        var run = ScenarioGenerator.Generate(Family.All.Single(f => f.Name == family), seed);
        var onset = run.Onset!.Value;
        var first = RunReplay.Analyze(run).Timeline.FirstOrDefault(v => v.State == LeakState.Leaking);
        Assert.That(first, Is.Not.Null, "never Leaking");
        var leaking = run.HoursAt(first!.EvaluatedAt) * Hour;
        Assert.Multiple(() =>
        {
            Assert.That(leaking, Is.GreaterThan(onset), "Leaking before the leak began");
            Assert.That(leaking, Is.LessThan(onset + (24 * Hour)), "not Leaking within a day of the onset");
        });
    }

    private static (double Onset, double? Leaking, List<string> Reasons) Leak(double onsetHours)
    {
        var drawn = ScenarioGenerator.Draw(Family.All.Single(f => f.Name == "leak+flat"), 1);
        var p = drawn with
        {
            Start = new DateTimeOffset(2026, 3, 2, 9, 0, 0, TimeSpan.Zero),
            Length = (onsetHours + 20) * Hour,
            Interval = 60,
            Level = 500 * 1024.0 * 1024,
            NoiseSigma = 0.005,
            NoisePhi = 0.3,
            LeakRate = 0.03,
            LeakOnset = onsetHours * Hour,
            LeakStep = 0,
            Limit = null,
            Exhaustion = null,
        };
        var run = ScenarioGenerator.Render(p);
        var timeline = RunReplay.Analyze(run).Timeline;
        var first = timeline.FirstOrDefault(v => v.State == LeakState.Leaking);
        return (p.LeakOnset, first is null ? null : run.HoursAt(first.EvaluatedAt) * Hour, Reasons(run));
    }

    /// <summary>Every evaluation's reason (the timeline keeps only changes of state), with the settings the replay uses.</summary>
    private static List<string> Reasons(GeneratedRun run)
    {
        var settings = DetectorSettings.Create(TimeSpan.FromMinutes(10), TimeSpan.FromSeconds(run.Parameters.Interval), TimeSpan.FromMinutes(5), new DetectionOptions());
        var replay = new SeriesReplay(new SignalDetector(LeakSignals.ManagedHeap, settings), settings, run.Limit);
        var reasons = new List<string>();
        for (var i = 0; i < run.Times.Length; i++)
        {
            if (replay.Add(run.TimestampAt(i), run.Values[i]) is { } verdict)
            {
                reasons.Add(verdict.Reason);
            }
        }

        return reasons;
    }
}
