using LeakGuard.Detection;
using NUnit.Framework;

namespace LeakGuard.Tests.Detection;

/// <summary>
/// An exact count (threads created 5 per second on a ~100-ms timer, sampled about every 50 ms: the leak zoo's blocked-threads
/// scenario) has a ±1 beat between the two clocks whose slow period reads as strongly correlated noise.
/// </summary>
public sealed class CountBeatTests
{
    private static readonly DateTimeOffset Origin = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    // The leak zoo's configuration: Window 5 s, 50-ms samples, WarmUp 25 s.
    private static readonly DetectorSettings Zoo = DetectorSettings.Create(
        TimeSpan.FromSeconds(5), TimeSpan.FromMilliseconds(50), TimeSpan.FromSeconds(25), new DetectionOptions { Window = TimeSpan.FromSeconds(5) });

    private static double? FirstLeakingSeconds(DetectorSettings settings, double tickSeconds)
    {
        var replay = new SeriesReplay(new SignalDetector(LeakSignals.Threads, settings), settings, null);
        for (var t = 0.0; t < 62; t += 0.0502)
        {
            // Threads are created on the timer's ticks, up to 5 per elapsed second.
            var lastTick = Math.Floor(t / tickSeconds) * tickSeconds;
            if (replay.Add(Origin.AddSeconds(t), 17 + Math.Floor(5 * lastTick)) is { State: LeakState.Leaking })
            {
                return t;
            }
        }

        return null;
    }

    [TestCase(0.1005)]
    [TestCase(0.101)]
    [TestCase(0.102)]
    public void A_count_with_a_clock_beat_confirms_on_the_second_horizon_like_one_without(double tick)
    {
        var clean = FirstLeakingSeconds(Zoo, 0.1) ?? double.NaN;
        var beat = FirstLeakingSeconds(Zoo, tick);
        var withoutWaiver = FirstLeakingSeconds(Zoo with { CorrelationWaiverSigmas = 0 }, tick);
        Assert.Multiple(() =>
        {
            Assert.That(clean, Is.LessThan(50), "the unbeaten count confirms on the 25.6-s horizon");
            Assert.That(withoutWaiver, Is.Null.Or.GreaterThan(clean + 5), "the scenario does not exercise the waiver");
            Assert.That(beat, Is.Not.Null.And.LessThan(clean + 2));
        });
    }
}
