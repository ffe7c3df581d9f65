using LeakGuard.Detection;
using NUnit.Framework;
using static LeakGuard.Tests.Detection.DetectorScenarios;

namespace LeakGuard.Tests.Detection;

/// <summary>
/// The managed heap between full collections counts the garbage promoted since the last one, so it climbs until the next
/// full collection finds that garbage dead: a sawtooth whose teeth are as long as the GC leaves between full collections.
/// Such a signal raises no alarm — Suspected, which starts heap snapshots, as Leaking — on a rise no full collection has
/// confirmed, and asks for one instead of waiting for the GC's own.
/// </summary>
public sealed class ManagedSawtoothTests
{
    private const double Mb = 1024 * 1024;

    /// <summary>The leak zoo's configuration (tests/LeakGuard.IntegrationTests/Zoo/ZooEnvironment.cs): 50-ms samples, a 5-s window.</summary>
    private static DetectorSettings ZooSettings() => DetectorSettings.FromOptions(new LeakGuardOptions
    {
        SampleInterval = TimeSpan.FromMilliseconds(50),
        WarmUp = TimeSpan.FromSeconds(20),
        Detection = new DetectionOptions { Window = TimeSpan.FromSeconds(5), MinGrowthPercent = 10 },
    });

    /// <summary>
    /// The zoo's healthy LRU cache under churn as measured in a run that failed (2026-12-06): 37 MB live, a collection every
    /// 0.8–1.6 s promoting 1.5–2.5 MB/s of garbage, a full collection every 4–12 s finding 37 MB again. The signal is read
    /// every 50 ms and holds the latest collection's value. In that run `managed_heap` was Suspected at 32.7 s (+22.6 MB at
    /// 2.0 MB/s, "the floor climbs steadily") and Stable again after the full collection at 40.7 s.
    /// </summary>
    private static (List<LeakVerdict> Verdicts, bool Awaited) Heap(int seed, double leakPerSecond, double fullEvery = 4, double fullSpread = 8)
    {
        var settings = ZooSettings();
        var detector = new SignalDetector(LeakSignals.ManagedHeap, settings) { InflatedBetweenFullCollections = true };
        var replay = new SeriesReplay(detector, settings, limit: 240 * Mb);
        var rng = new Random(seed);
        var verdicts = new List<LeakVerdict>();
        var (promoted, value, awaited) = (0.0, 37 * Mb, false);
        var nextCollection = 1.0;
        var nextFull = fullEvery + (rng.NextDouble() * fullSpread);
        for (var t = 0.0; t <= 60; t += 0.05)
        {
            if (t >= nextCollection)
            {
                var live = (37 * Mb) + (leakPerSecond * t) + (rng.NextDouble() * 0.5 * Mb);
                promoted += (1.5 + rng.NextDouble()) * Mb * (t - (nextCollection - 1.2));
                if (t >= nextFull)
                {
                    promoted = 0;
                    detector.LastFullCollection = new FullCollection(Origin.AddSeconds(t), live);
                    nextFull = t + fullEvery + (rng.NextDouble() * fullSpread);
                }

                value = live + promoted;
                nextCollection = t + 0.8 + (rng.NextDouble() * 0.8);
            }

            if (replay.Add(Origin.AddSeconds(t), value) is { } verdict)
            {
                verdicts.Add(verdict);
                awaited |= detector.AwaitsFullCollection;
            }
        }

        return (verdicts, awaited);
    }

    [Test]
    public void Garbage_promoted_between_full_collections_is_never_suspected([Range(1, 12)] int seed)
    {
        var (verdicts, awaited) = Heap(seed, leakPerSecond: 0);
        var suspected = verdicts.FirstOrDefault(v => v.State >= LeakState.Suspected);
        Assert.That(suspected, Is.Null, () => $"suspected at {(suspected!.EvaluatedAt - Origin).TotalSeconds:0.0} s: {suspected.Reason}");
        if (verdicts.Any(v => v.Reason == VerdictReasons.Unconfirmed))
        {
            Assert.That(awaited, Is.True, "a rise held back asks for a full collection");
        }
    }

    /// <summary>
    /// Full collections 10–30 s apart make some teeth long enough for one climb to beat every bounded shape clearly (on
    /// 62cccf6, when an alarm asked less evidence, seed 12 of the zoo's 4–12 s cadence was Suspected at 31.0 s; since
    /// Suspected asks the Leaking evidence, none of 300 seeds of that cadence is). Without the confirmation these four
    /// are Suspected (measured 2026-12-07 by removing it from <see cref="SignalDetector"/>, with median floors: of seeds
    /// 1–40, 2 at the 10-s cadence and 13 at the 15-s one; on 2026-12-06, with minimum floors, 2 at each); with it they
    /// wait and ask for a collection.
    /// </summary>
    [TestCase(10.0, 25)]
    [TestCase(10.0, 33)]
    [TestCase(15.0, 7)]
    [TestCase(15.0, 37)]
    public void A_long_tooth_is_held_back_until_a_full_collection_and_asks_for_one(double fullEvery, int seed)
    {
        var (verdicts, awaited) = Heap(seed, leakPerSecond: 0, fullEvery, fullSpread: fullEvery);
        var suspected = verdicts.FirstOrDefault(v => v.State >= LeakState.Suspected);
        Assert.That(suspected, Is.Null, () => $"suspected at {(suspected!.EvaluatedAt - Origin).TotalSeconds:0.0} s: {suspected.Reason}");
        Assert.That(verdicts.Select(v => v.Reason), Has.Some.EqualTo(VerdictReasons.Unconfirmed));
        Assert.That(awaited, Is.True);
    }

    [Test]
    public void A_leak_the_full_collections_confirm_is_called_under_the_same_sawtooth([Range(1, 4)] int seed)
    {
        // 1 MB/s of live growth: the full collections find 37 MB, then more and more.
        var (verdicts, _) = Heap(seed, leakPerSecond: 1 * Mb);
        var alarmed = verdicts.FirstOrDefault(v => v.State >= LeakState.Suspected);
        Assert.That(alarmed, Is.Not.Null, "never suspected");
        // A steady leak never returns to Stable while it grows (issue 16's state target), under the confirmation too.
        var dropped = verdicts.SkipWhile(v => v.State < LeakState.Suspected).FirstOrDefault(v => v.State < LeakState.Suspected);
        Assert.That(dropped, Is.Null, () => $"Stable again at {(dropped!.EvaluatedAt - Origin).TotalSeconds:0.0} s: {dropped.Reason}");
    }

    /// <summary>
    /// A process idle for minutes runs no full collection: the last one before a leak's onset can be the one at start-up.
    /// The live growth that confirms a rise was asked to be half what the rise's rate predicts over the whole time since that
    /// collection, idle minutes included, so a leak of 1 MB/s after four idle minutes, found by a full collection every
    /// 15 s, was not confirmed until it had run about as long as the process had idled (measured in the web sample,
    /// `eng/sample-detection-time.sh 240`: managed_heap Stable, "no full collection has confirmed it yet", 90 s into the
    /// leak with the heap grown from 9 to 71 MB, while gen2, whose baseline fell after the onset, was Leaking).
    /// </summary>
    [Test]
    public void A_leak_after_idle_minutes_is_confirmed_by_the_first_full_collections_after_its_onset([Values(1, 2, 3)] int seed)
    {
        var settings = ZooSettings();
        var detector = new SignalDetector(LeakSignals.ManagedHeap, settings) { InflatedBetweenFullCollections = true };
        var replay = new SeriesReplay(detector, settings, limit: null);
        var rng = new Random(seed);
        var verdicts = new List<LeakVerdict>();
        const double Idle = 240;
        detector.LastFullCollection = new FullCollection(Origin, 9 * Mb);
        for (var i = 1; i <= (Idle + 60) * 20; i++)
        {
            var t = i * 0.05;
            var live = (9 * Mb) + (t > Idle ? Mb * (t - Idle) : 0);
            if (t > Idle && i % 300 == 0)
            {
                detector.LastFullCollection = new FullCollection(Origin.AddSeconds(t), live);
            }

            if (replay.Add(Origin.AddSeconds(t), live + (rng.NextDouble() * 0.1 * Mb)) is { } verdict)
            {
                verdicts.Add(verdict);
            }
        }

        var leaking = verdicts.FirstOrDefault(v => v.State == LeakState.Leaking);
        Assert.That(leaking, Is.Not.Null, () => $"never Leaking; last: {verdicts[^1].State}, {verdicts[^1].Reason}");
        Assert.That((leaking!.EvaluatedAt - Origin).TotalSeconds - Idle, Is.InRange(0.0, 60.0), "Leaking within a minute of the onset, not before it");
    }

    /// <summary>
    /// An alarm raised on a confirmed rise is judged on the history from then on, confirmed or not: the GC may run no full
    /// collection for a while, and as the history grows the rise's onset moves past the latest one. Here a 0.5 MB/s leak
    /// from 30 s, confirmed by a full collection every 5 s, steepens to 4.5 MB/s at 60 s, after the GC's last full
    /// collection: the onset of the best rise moves past it, so no full collection confirms the rise any more. Applying the
    /// confirmation in every state left it Suspected to the end; letting the hold follow confirmation dropped it to Stable
    /// at 66 s (both measured by mutating <see cref="SignalDetector"/>, 2026-12-06).
    /// </summary>
    [Test]
    public void A_confirmed_alarm_escalates_on_the_history_when_full_collections_stop_confirming_it([Range(1, 4)] int seed)
    {
        var settings = ZooSettings();
        var detector = new SignalDetector(LeakSignals.ManagedHeap, settings) { InflatedBetweenFullCollections = true };
        var replay = new SeriesReplay(detector, settings, limit: null);
        var rng = new Random(seed);
        var verdicts = new List<(LeakVerdict Verdict, bool Live)>();
        for (var i = 0; i <= 3000; i++)
        {
            var t = i * 0.05;
            var live = (37 * Mb) + (t > 30 ? 0.5 * Mb * (t - 30) : 0) + (t > 60 ? 4 * Mb * (t - 60) : 0) + (rng.NextDouble() * 0.2 * Mb);
            if (i % 100 == 0 && t < 60)
            {
                detector.LastFullCollection = new FullCollection(Origin.AddSeconds(t), live);
            }

            if (replay.Add(Origin.AddSeconds(t), live) is { } verdict)
            {
                verdicts.Add((verdict, detector.RisesLive));
            }
        }

        var suspected = verdicts.FindIndex(v => v.Verdict.State >= LeakState.Suspected);
        Assert.That(suspected, Is.GreaterThanOrEqualTo(0), "never suspected");
        Assert.That(verdicts[suspected].Live, Is.True, "the first alarm waits for a full collection to confirm the rise");
        Assert.That(verdicts.Skip(suspected).Any(v => !v.Live), Is.True, "the full collections stop confirming the rise (the scenario's premise)");
        var dropped = verdicts.Skip(suspected).FirstOrDefault(v => v.Verdict.State < LeakState.Suspected).Verdict;
        Assert.That(dropped, Is.Null, () => $"Stable again at {(dropped!.EvaluatedAt - Origin).TotalSeconds:0.0} s: {dropped.Reason}");
        var leaking = verdicts.FindIndex(v => v.Verdict.State == LeakState.Leaking);
        Assert.That(leaking, Is.GreaterThanOrEqualTo(0), "never escalated to Leaking");
        Assert.That(verdicts[leaking].Live, Is.False, "escalated on the history, with no full collection confirming the rise at that point");
    }
}
