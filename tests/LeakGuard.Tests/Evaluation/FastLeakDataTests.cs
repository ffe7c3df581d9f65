using LeakGuard.DetectionQuality;
using LeakGuard.DetectionQuality.Generation;
using NUnit.Framework;

namespace LeakGuard.Tests.Evaluation;

/// <summary>
/// The evaluation's account of a missed fast leak (<see cref="RunOutcome.FastData"/>): whether its data could show the rise
/// to the detector within a day, read from the run's parameters and the replay's settings alone.
/// </summary>
public sealed class FastLeakDataTests
{
    private const double Hour = 3600;

    // The replay's defaults for a 10-s series: a 10-min window, a 5-min warm-up, 20-s finest buckets (2 samples each).
    private static RunOutcome Run(double onset, double end, double? exhaustion, double step = 0, double rate = 0.1, double? detected = null, double? firstLeaking = null) => new()
    {
        Family = Family.All.First(f => f.Leak),
        Parameters = new RunParameters
        {
            Family = "leak+flat", Seed = 0, Start = DateTimeOffset.UnixEpoch, Length = end, Interval = 10, Level = 1e9,
            LeakRate = rate, LeakOnset = onset, LeakStep = step, Exhaustion = exhaustion,
        },
        End = end,
        Detected = detected,
        FirstLeaking = firstLeaking ?? detected,
        FinestBucket = 20,
        WarmUp = 300,
        Window = 600,
    };

    [Test]
    public void A_leak_that_runs_out_of_memory_before_its_rise_spans_eight_finest_buckets_had_too_little_data()
    {
        // 150 s of rise = 7.5 buckets of 20 s; 170 s = 8.5.
        Assert.That(Run(onset: 2 * Hour, end: (2 * Hour) + 150, exhaustion: (2 * Hour) + 150).Miss, Is.EqualTo(FastLeakData.TooLittle));
        Assert.That(Run(onset: 2 * Hour, end: (2 * Hour) + 170, exhaustion: (2 * Hour) + 170).Miss, Is.EqualTo(FastLeakData.Enough));
    }

    [Test]
    public void A_series_that_ends_before_a_window_past_the_warm_up_had_too_little_data_however_long_the_rise()
    {
        // From the first sample: 5-min warm-up, then a 10-min window before anything is judged.
        Assert.That(Run(onset: 0, end: 880, exhaustion: 880).Miss, Is.EqualTo(FastLeakData.TooLittle));
        Assert.That(Run(onset: 0, end: 920, exhaustion: 920).Miss, Is.EqualTo(FastLeakData.Enough));
    }

    [Test]
    public void A_staircase_of_at_most_four_steps_in_the_day_is_few_steps_and_five_are_enough()
    {
        // The first step comes at the onset; memory runs out 3.5 steps of an hour later (4 steps seen), or 4.5 (5 seen).
        Assert.That(Run(onset: Hour, end: 4.5 * Hour, exhaustion: 4.5 * Hour, step: Hour).Miss, Is.EqualTo(FastLeakData.FewSteps));
        Assert.That(Run(onset: Hour, end: 5.5 * Hour, exhaustion: 5.5 * Hour, step: Hour).Miss, Is.EqualTo(FastLeakData.Enough));

        // Watched a whole day: steps of 7 h show 4 (at 0, 7, 14 and 21 h), of 5 h show 5.
        Assert.That(Run(onset: Hour, end: 30 * Hour, exhaustion: null, step: 7 * Hour).Miss, Is.EqualTo(FastLeakData.FewSteps));
        Assert.That(Run(onset: Hour, end: 30 * Hour, exhaustion: null, step: 5 * Hour).Miss, Is.EqualTo(FastLeakData.Enough));
    }

    [Test]
    public void Only_judged_fast_leaks_not_called_within_the_day_are_misses()
    {
        // Called 2 h after the onset: no miss, though its data is still classified.
        var called = Run(onset: Hour, end: 30 * Hour, exhaustion: null, detected: 3 * Hour);
        Assert.That((called.Miss, called.FastData), Is.EqualTo(((FastLeakData?)null, (FastLeakData?)FastLeakData.Enough)));

        // Slower than 2 %/h, watched under a day without running out, or Leaking before its onset: not judged as fast.
        Assert.That(Run(onset: Hour, end: 30 * Hour, exhaustion: null, rate: 0.01).FastData, Is.Null);
        Assert.That(Run(onset: Hour, end: 10 * Hour, exhaustion: null).FastData, Is.Null);
        Assert.That(Run(onset: Hour, end: 30 * Hour, exhaustion: null, detected: Hour, firstLeaking: 0.5 * Hour).FastData, Is.Null);
    }
}
