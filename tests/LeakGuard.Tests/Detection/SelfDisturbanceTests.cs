using LeakGuard.Detection;
using NUnit.Framework;
using static LeakGuard.Tests.Detection.DetectorScenarios;

namespace LeakGuard.Tests.Detection;

/// <summary>
/// LeakGuard's own heap snapshot raises resident memory (session buffers the allocator keeps): the resident-memory
/// signals restart their warm-up for it, so the footprint is not taken for a leak, while a real leak is still found.
/// </summary>
public sealed class SelfDisturbanceTests
{
    private const double Mb = 1_000_000;
    // A small container: the leaks below reach it within minutes, so urgency may project them that far once they have
    // been seen rising for a quarter of it (SignalDetector.MaxExtrapolation).
    private const double HostMemory = 300 * Mb;

    // The leak zoo's lru-cache control as recorded: RSS flat at ~117 MB; the investigation from 34 s to 46 s raises it
    // in steps by 30 MB, and the allocator keeps adding ~0.5 MB/s for a while after.
    private static double Footprint(double t, Random r)
    {
        var raised = t < 34 ? 0 : (Math.Min(10, Math.Floor(t - 34)) * 3 * Mb) + (Math.Max(0, Math.Min(t, 70) - 44) * 0.5 * Mb);
        return (117 * Mb) + raised + (r.NextDouble() * 1 * Mb);
    }

    // The zoo's configuration: Window 5 s, 50-ms samples, WarmUp 25 s.
    private static DetectorSettings ZooSettings() => DetectorSettings.Create(
        TimeSpan.FromSeconds(5), TimeSpan.FromMilliseconds(50), TimeSpan.FromSeconds(25), new DetectionOptions { Window = TimeSpan.FromSeconds(5) });

    private static List<LeakVerdict> Replay(Func<double, Random, double> valueAt, double seconds, (double From, double To)? disturbed, double? limit = null)
    {
        var settings = ZooSettings();
        var replay = new SeriesReplay(new SignalDetector(LeakSignals.ProcessMemory, settings), settings, limit);
        var rng = new Random(7);
        var verdicts = new List<LeakVerdict>();
        for (var t = 0.0; t <= seconds; t += 0.05)
        {
            if (disturbed is { } d && t >= d.From && t <= d.To)
            {
                replay.Detector.Restart(Origin.AddSeconds(t));
            }

            if (replay.Add(Origin.AddSeconds(t), valueAt(t, rng)) is { } v)
            {
                verdicts.Add(v);
            }
        }

        return verdicts;
    }

    [Test]
    public void The_footprint_of_a_snapshot_is_not_a_leak_and_the_signal_settles_meanwhile()
    {
        var with = Replay(Footprint, 120, (34, 46));
        Assert.Multiple(() =>
        {
            Assert.That(FirstLeakingSeconds(with), Is.Null);
            Assert.That(with.Where(v => v.State == LeakState.Suspected), Is.Empty);
            Assert.That(with.Where(v => (v.EvaluatedAt - Origin).TotalSeconds is > 47 and < 70).Select(v => v.Reason), Is.All.EqualTo(VerdictReasons.Settling));
        });
    }

    [Test]
    public void A_leak_stays_Leaking_through_the_restart_and_a_leak_that_starts_later_is_still_found()
    {
        // 1.5 MB/s from the start in a process with 300 MB (a live process always has a limit: the container's, or the
        // machine's memory): Leaking before the snapshot at 60 s, and held through the settling.
        var early = Replay((t, r) => (100 * Mb) + (t * 1.5 * Mb) + (r.NextDouble() * 2 * Mb), 120, (60, 65), HostMemory);
        var afterRestart = early.Where(v => (v.EvaluatedAt - Origin).TotalSeconds > 60).ToList();

        // The same leak beginning at a snapshot at 40 s: found after the new warm-up and the usual confirmation.
        var late = Replay((t, r) => (100 * Mb) + (Math.Max(0, t - 40) * 1.5 * Mb) + (r.NextDouble() * 2 * Mb), 180, (40, 42), HostMemory);
        Assert.Multiple(() =>
        {
            Assert.That(FirstLeakingSeconds(early), Is.Not.Null.And.LessThan(60));
            Assert.That(afterRestart.Select(v => v.State), Is.All.EqualTo(LeakState.Leaking));
            Assert.That(FirstLeakingSeconds(late), Is.Not.Null.And.GreaterThan(42 + 25));
        });
    }
}
