using LeakGuard.Detection;
using LeakGuard.DetectionQuality.Generation;
using LeakGuard.Hosting;
using NUnit.Framework;

namespace LeakGuard.Tests.Detection;

/// <summary>
/// The daily cycle of earlier lifetimes (issue 21, item 4): fitted from their hourly floors, taken out of a restarted
/// instance's floors so that its first day is judged with the days before it.
/// </summary>
public sealed class PriorCycleTests
{
    private static readonly DateTimeOffset T0 = new(2026, 3, 2, 0, 0, 0, TimeSpan.Zero);

    [Test]
    public void The_fit_recovers_a_cycle_shared_by_lifetimes_of_different_levels_and_trends()
    {
        // Two lifetimes of 30 h each: levels 100 and 140, the second growing 0.5 an hour; a cycle of ±10 peaking at 15:00.
        var (hours, minima, lifetimes) = (new List<DateTimeOffset>(), new List<double>(), new List<DateTimeOffset>());
        for (var life = 0; life < 2; life++)
        {
            var start = T0.AddHours(31 * life);
            for (var h = 0; h < 30; h++)
            {
                var at = start.AddHours(h);
                hours.Add(at);
                minima.Add(100 + (40 * life) + (life * 0.5 * h) + Cycle(at.AddMinutes(30)) + (((h * 7919) % 13) / 13.0 - 0.5));
                lifetimes.Add(start);
            }
        }

        var cycle = PriorCycle.Fit(hours, minima, lifetimes);

        Assert.That(cycle, Is.Not.Null);
        Assert.That(cycle!.Lifetimes, Is.EqualTo(2));
        Assert.That(cycle.Swing, Is.EqualTo(10).Within(1));
        Assert.That(cycle.At(T0.AddHours(15).UtcTicks), Is.EqualTo(10).Within(1), "the peak at 15:00");
        Assert.That(cycle.At(T0.AddHours(3).UtcTicks), Is.EqualTo(-10).Within(1), "the trough at 03:00");
        Assert.That(cycle.ValidUntilTicks, Is.EqualTo(T0.AddHours(31 + 30).Add(DetectorSettings.MaxLookback).UtcTicks));

        static double Cycle(DateTimeOffset at) => 10 * Math.Cos(2 * Math.PI * ((at - at.Date).TotalHours - 15) / 24);
    }

    [Test]
    public void Floors_without_a_cycle_or_covering_too_few_hours_of_the_day_give_none()
    {
        var random = new Random(7);
        var hours = Enumerable.Range(0, 48).Select(h => T0.AddHours(h)).ToList();
        var noise = hours.Select(_ => 100 + random.NextDouble()).ToList();
        var lifetimes = hours.Select(_ => T0).ToList();
        Assert.That(PriorCycle.Fit(hours, noise, lifetimes), Is.Null, "noise");

        var cycle = hours.Select(h => 100 + (10 * Math.Sin(2 * Math.PI * h.Hour / 24))).ToList();
        Assert.That(PriorCycle.Fit(hours, cycle, lifetimes), Is.Not.Null, "a clean cycle over two days");
        Assert.That(PriorCycle.Fit(hours[..18], cycle[..18], lifetimes[..18]), Is.Null, "18 hours of the day");

        // One floor per lifetime (a service restarting every 40 minutes) says nothing about the cycle.
        Assert.That(PriorCycle.Fit(hours, cycle, hours), Is.Null, "one floor per lifetime");
        Assert.That(PriorCycle.Fit([], [], []), Is.Null, "none");
        Assert.That(PriorCycle.Fit(hours, hours.Select(_ => double.NaN).ToList(), lifetimes), Is.Null, "not finite");
    }

    /// <summary>Replays tuning seeds of a family with a restart after two days; returns how many alarmed on the restarted day and a half.</summary>
    internal static (int Suspected, int Leaking, int Runs) Restarted(string family, int seeds, bool seed, Action<RunParameters, LeakState>? each = null) =>
        Restarted(family, Enumerable.Range(0, seeds), seed, each);

    /// <summary>Replays the given tuning seeds of a family with a restart after two days, as the overload above.</summary>
    internal static (int Suspected, int Leaking, int Runs) Restarted(string family, IEnumerable<int> seeds, bool seed, Action<RunParameters, LeakState>? each = null)
    {
        var (suspected, leaking, runs) = (0, 0, 0);
        var f = Family.All.Single(x => x.Name == family);
        foreach (var s in seeds)
        {
            runs++;
            var drawn = ScenarioGenerator.Draw(f, s);
            var restart = 2 * 86400.0;
            var p = drawn with
            {
                Length = restart + (1.5 * 86400),
                Interval = 60,
                Limit = null,
                Exhaustion = null,
                LeakOnset = drawn.LeakRate > 0 ? restart + 7200 : 0,
            };
            var run = ScenarioGenerator.Render(p);
            var state = Replay(run, restart, seed);
            suspected += state >= LeakState.Suspected ? 1 : 0;
            leaking += state == LeakState.Leaking ? 1 : 0;
            each?.Invoke(p, state);
        }

        return (suspected, leaking, runs);
    }

    /// <summary>The highest state a restarted instance reached.</summary>
    private static LeakState Replay(GeneratedRun run, double restart, bool seed)
    {
        var settings = DetectorSettings.Create(TimeSpan.FromMinutes(10), TimeSpan.FromSeconds(60), TimeSpan.FromMinutes(5), new DetectionOptions());
        var detector = new SignalDetector(LeakSignals.ManagedHeap, settings);
        var replay = new SeriesReplay(detector, settings, null);
        var floors = new SortedDictionary<long, double>();
        var highest = LeakState.InsufficientData;
        for (var i = 0; i < run.Times.Length; i++)
        {
            var at = run.TimestampAt(i);
            if (run.Times[i] < restart)
            {
                var hour = at.UtcTicks - (at.UtcTicks % TimeSpan.TicksPerHour);
                floors[hour] = floors.TryGetValue(hour, out var m) ? Math.Min(m, run.Values[i]) : run.Values[i];
                continue;
            }

            if (seed && detector.PriorCycle is null && floors.Count > 0)
            {
                detector.PriorCycle = PriorCycle.Fit([.. floors.Keys.Select(k => new DateTimeOffset(k, TimeSpan.Zero))], [.. floors.Values], [.. floors.Keys.Select(_ => run.Parameters.Start)]);
                floors.Clear();
            }

            if (replay.Add(at, run.Values[i]) is { } verdict && verdict.State > highest)
            {
                highest = verdict.State;
            }
        }

        return highest;
    }

    [Test]
    public void A_restarted_instance_is_judged_with_the_daily_cycle_of_the_days_before()
    {
        // Daily-cycle runs (tuning seeds 0–199) restarted after two days: the first day and a half of the new lifetime,
        // judged without and with the earlier lifetime's hourly floors (docs/detection.md). Since a daily cycle joins a rise
        // only once a day has been seen (2026-12-07), day one of a cycle seldom reads as a rise: 9 of the 200 Suspected
        // without the seed, none Leaking (on 40 seeds before: 8 Suspected, 3 Leaking), so all 200 are replayed.
        var flagged = new List<long>();
        var without = Restarted("daily-cycle", 200, seed: false, (p, state) =>
        {
            if (state >= LeakState.Suspected)
            {
                flagged.Add(p.Seed);
            }
        });
        var with = Restarted("daily-cycle", 200, seed: true);
        Assert.That(without.Suspected, Is.GreaterThan(5), "the case the seed is for: day one of a cycle reads as a rise");
        Assert.That(with.Leaking * 3, Is.LessThanOrEqualTo(without.Leaking), $"Leaking {with.Leaking} with the seed, {without.Leaking} without");
        Assert.That(with.Suspected * 3, Is.LessThanOrEqualTo(without.Suspected), $"Suspected {with.Suspected} with the seed, {without.Suspected} without (seeds {string.Join(", ", flagged)})");

        // Leaks of ≥ 2 %/h starting two hours after the restart are still called (slower ones may go either way, see
        // docs/detection.md).
        var fast = new Dictionary<long, (LeakState Without, LeakState With, string Run)>();
        Restarted("leak+daily-cycle", 30, seed: false, (p, state) =>
        {
            if (p.LeakRate >= 0.02)
            {
                fast[p.Seed] = (state, default, p.Describe());
            }
        });
        Restarted("leak+daily-cycle", 30, seed: true, (p, state) =>
        {
            if (p.LeakRate >= 0.02)
            {
                fast[p.Seed] = fast[p.Seed] with { With = state };
            }
        });
        Assert.That(fast, Has.Count.GreaterThan(5));
        // One may be lost: seed 15 (3.2 %/h under noise of σ 4.9 % with φ 0.91) was called on day one without the seed, at
        // an evidence of 13.6 that the cycle's own rise helped, and stays Suspected with it (evidence 2–3 against a curve
        // levelling off).
        var lost = fast.Values.Where(f => f.Without == LeakState.Leaking && f.With != LeakState.Leaking).Select(f => f.Run).ToList();
        Assert.That(lost, Has.Count.LessThanOrEqualTo(1), "leaks of ≥ 2 %/h called without the seed and not with it:" + Environment.NewLine + string.Join(Environment.NewLine, lost));
        Assert.That(fast.Values.Count(f => f.With == LeakState.Leaking), Is.GreaterThanOrEqualTo(fast.Count - 1));
    }

    [Test]
    public void The_monitors_evaluator_hands_the_earlier_lifetimes_floors_to_its_detector_as_their_cycle()
    {
        var settings = DetectorSettings.Create(TimeSpan.FromMinutes(10), TimeSpan.FromSeconds(60), TimeSpan.FromMinutes(5), new DetectionOptions());
        var detector = new SignalDetector(LeakSignals.ManagedHeap, settings);
        ISignalEvaluator evaluator = new DetectorEvaluator(detector);
        evaluator.SeedPriorFloors([.. Enumerable.Range(0, 48).Select(h => new PriorFloor(T0.AddHours(h), 100 + (10 * Math.Sin(2 * Math.PI * h / 24)), h < 24 ? T0 : T0.AddHours(24)))]);
        Assert.That(detector.PriorCycle, Is.Not.Null);
        Assert.That(detector.PriorCycle!.Lifetimes, Is.EqualTo(2));
        Assert.That(detector.PriorCycle.Swing, Is.EqualTo(10).Within(1.5));

        evaluator.SeedPriorFloors([]);
        Assert.That(detector.PriorCycle, Is.Null, "no floors, no cycle");
    }

    [Test]
    public void The_reason_says_the_earlier_lifetimes_cycle_was_taken_out()
    {
        var settings = DetectorSettings.Create(TimeSpan.FromMinutes(10), TimeSpan.FromSeconds(60), TimeSpan.FromMinutes(5), new DetectionOptions());
        var detector = new SignalDetector(LeakSignals.ManagedHeap, settings)
        {
            PriorCycle = PriorCycle.Fit(
                [.. Enumerable.Range(0, 48).Select(h => T0.AddHours(h))],
                [.. Enumerable.Range(0, 48).Select(h => 100 + (10 * Math.Sin(2 * Math.PI * h / 24)))],
                [.. Enumerable.Range(0, 48).Select(_ => T0)]),
        };
        var replay = new SeriesReplay(detector, settings, null);
        LeakVerdict? last = null;
        for (var m = 0; m < 6 * 60; m++)
        {
            var at = T0.AddDays(2).AddMinutes(m);
            last = replay.Add(at, 100 + (10 * Math.Sin(2 * Math.PI * (at - at.Date).TotalHours / 24))) ?? last;
        }

        Assert.That(last!.State, Is.EqualTo(LeakState.Stable));
        Assert.That(last.Reason, Does.EndWith(VerdictReasons.PriorCycleNote));
    }

    [Test]
    [Explicit("measurement: dotnet test tests/LeakGuard.Tests -c Release --filter FullyQualifiedName=LeakGuard.Tests.Detection.PriorCycleTests.Measure")]
    public void Measure()
    {
        foreach (var family in new[] { "daily-cycle", "leak+daily-cycle", "mixed", "flat" })
        {
            foreach (var seed in new[] { false, true })
            {
                var (s, l, n) = Restarted(family, 200, seed);
                TestContext.Out.WriteLine($"{family} seed={seed}: Suspected {s}/{n}, Leaking {l}/{n}");
            }
        }
    }
}
