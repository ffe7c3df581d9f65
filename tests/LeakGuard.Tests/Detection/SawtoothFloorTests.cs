using LeakGuard.Detection;
using NUnit.Framework;
using static LeakGuard.Tests.Detection.DetectorScenarios;

namespace LeakGuard.Tests.Detection;

/// <summary>
/// A sawtooth whose teeth are longer than the newest floors' span: the floors must stand at its troughs (<see cref="Teeth"/>),
/// so a tooth's climb is not a rise, while a leak that lifts the troughs still is.
/// </summary>
public sealed class SawtoothFloorTests
{
    /// <summary>The leak zoo's configuration (tests/LeakGuard.IntegrationTests/Zoo/ZooEnvironment.cs): 50-ms samples, a 5-s window.</summary>
    private static DetectorSettings ZooSettings() => DetectorSettings.FromOptions(new LeakGuardOptions
    {
        SampleInterval = TimeSpan.FromMilliseconds(50),
        WarmUp = TimeSpan.FromSeconds(20),
        Detection = new DetectionOptions { Window = TimeSpan.FromSeconds(5), MinGrowthPercent = 10 },
    });

    /// <summary>
    /// The zoo's undisposed-timers control as measured: 50 timers a second are started and never disposed, a collection
    /// every 4–5 s (longer under load) finalizes all but the last few, so the active count climbs 15 → ~215 and falls back.
    /// In CI one such run was Suspected at 43.9 s: in a 5-s window the newest floors are single 100-ms buckets, and a
    /// tooth's climb of 200 timers read as a rise.
    /// </summary>
    private static List<LeakVerdict> Timers(int seed, double leakPerSecond, TimeSpan duration)
    {
        var settings = ZooSettings();
        var replay = new SeriesReplay(new SignalDetector(LeakSignals.Timers, settings), settings, limit: null);
        var rng = new Random(seed);
        var verdicts = new List<LeakVerdict>();
        var nextCollection = 4 + rng.NextDouble();
        double live = 15;
        for (var t = 0.0; t <= duration.TotalSeconds; t += 0.05)
        {
            // Poisson-ish arrivals: 2.5 timers per 50 ms on average.
            live += rng.Next(0, 6);
            if (t >= nextCollection)
            {
                live = 15 + rng.Next(0, 14);
                nextCollection = t + 3.5 + (rng.NextDouble() * 3);
            }

            if (replay.Add(Origin.AddSeconds(t), live + Math.Floor(leakPerSecond * t)) is { } verdict)
            {
                verdicts.Add(verdict);
            }
        }

        return verdicts;
    }

    [Test]
    public void Collectable_timers_whose_count_sawtooths_with_the_collections_are_never_suspected([Range(1, 16)] int seed)
    {
        var verdicts = Timers(seed, leakPerSecond: 0, TimeSpan.FromSeconds(120));
        var suspected = verdicts.FirstOrDefault(v => v.State >= LeakState.Suspected);
        Assert.That(suspected, Is.Null, () => $"suspected at {(suspected!.EvaluatedAt - Origin).TotalSeconds:0.0} s: {suspected.Reason}");

        // Until the watched life holds enough troughs the verdict says so; then it is judged, and Stable.
        Assert.That(verdicts.Where(v => v.EvaluatedAt < Origin.AddSeconds(35)).Select(v => v.Reason), Has.Some.EqualTo(VerdictReasons.WaitingForTroughs));
        Assert.That(verdicts[^1].State, Is.EqualTo(LeakState.Stable));
    }

    [Test]
    public void A_leak_that_lifts_the_troughs_of_the_same_sawtooth_is_Leaking_within_a_minute_of_being_judged([Range(1, 4)] int seed)
    {
        // Every tenth request's timer is kept (5 a second): each trough stands 20–25 timers above the last.
        var verdicts = Timers(seed, leakPerSecond: 5, TimeSpan.FromSeconds(120));
        Assert.That(FirstLeakingSeconds(verdicts), Is.Not.Null.And.LessThanOrEqualTo(85));
        Assert.That(verdicts[^1].State, Is.EqualTo(LeakState.Leaking));
    }

    [Test]
    public void The_median_by_selection_is_the_median_by_sorting()
    {
        var rng = new Random(5);
        for (var run = 0; run < 500; run++)
        {
            // Lengths 1-300, with ties (small integers) in half the runs.
            var values = Enumerable.Range(0, rng.Next(1, 301)).Select(_ => run % 2 == 0 ? rng.Next(0, 5) : rng.NextDouble()).ToArray();
            var sorted = values.OrderBy(v => v).ToArray();
            var n = sorted.Length;
            var expected = n % 2 == 1 ? sorted[n / 2] : (sorted[(n / 2) - 1] + sorted[n / 2]) / 2;
            Assert.That(GrowthComparison.MedianInPlace(values), Is.EqualTo(expected), () => $"run {run}, {n} values");
        }
    }

    [Test]
    public void Teeth_are_the_recurring_climbs_that_fall_back_and_nothing_else()
    {
        static SignalPoint[] Buckets(Func<int, double> min) =>
            Enumerable.Range(0, 200).Select(i => new SignalPoint { Timestamp = Origin.AddSeconds(i), Min = min(i), Max = min(i) + 1, Last = min(i) }).ToArray();

        var rng = new Random(3);
        var noise = Enumerable.Range(0, 200).Select(_ => rng.NextDouble()).ToArray();
        Assert.Multiple(() =>
        {
            // A sawtooth of 40-bucket teeth (with noise): the longest tooth spans 40 buckets.
            Assert.That(Teeth.Longest(Buckets(i => (i % 40 * 5) + noise[i])), Is.EqualTo(40));

            // Two teeth are not yet recurring.
            Assert.That(Teeth.Longest(Buckets(i => (i < 120 ? 0 : (i % 40 * 5)) + noise[i])), Is.EqualTo(1));

            // Noise, a straight rise, a staircase up and level shifts down have no teeth.
            Assert.That(Teeth.Longest(Buckets(i => noise[i])), Is.EqualTo(1));
            Assert.That(Teeth.Longest(Buckets(i => i + noise[i])), Is.EqualTo(1));
            Assert.That(Teeth.Longest(Buckets(i => (i / 20 * 50) + noise[i])), Is.EqualTo(1));
            Assert.That(Teeth.Longest(Buckets(i => 1000 - (i / 20 * 50) + noise[i])), Is.EqualTo(1));

            // Spikes (a jump up, then back) are not teeth.
            Assert.That(Teeth.Longest(Buckets(i => (i % 30 == 7 ? 100 : 0) + noise[i])), Is.EqualTo(1));
        });

        // Each bucket's floor then spans a tooth: the trough, read where it was.
        var buckets = Buckets(i => (i % 40 * 5) + 10);
        var at = new int[buckets.Length];
        Teeth.Span(buckets, at, 40);
        Assert.Multiple(() =>
        {
            Assert.That(buckets.Skip(40).Select(b => b.Min), Is.All.EqualTo(10));
            Assert.That(buckets.Skip(40).Select(b => b.Max), Is.All.EqualTo((39 * 5) + 11));
            Assert.That(at[79], Is.EqualTo(40));
            Assert.That(at[80], Is.EqualTo(80));
            Assert.That(at, Is.Ordered);
        });
    }
}
