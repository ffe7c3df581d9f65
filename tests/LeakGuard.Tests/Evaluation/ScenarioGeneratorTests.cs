using LeakGuard.DetectionQuality.Generation;
using NUnit.Framework;

namespace LeakGuard.Tests.Evaluation;

/// <summary>The evaluation's generator: deterministic per (family, seed), within its stated ranges, labels consistent with the series.</summary>
public sealed class ScenarioGeneratorTests
{
    private static IEnumerable<(Family Family, long Seed)> Runs() =>
        Family.All.SelectMany(f => Enumerable.Range(0, 12).Select(k => (f, (long)(k * 83_339))));

    [Test]
    public void Same_family_and_seed_give_the_same_series_and_another_seed_another()
    {
        foreach (var family in Family.All)
        {
            var a = ScenarioGenerator.Generate(family, 42);
            var b = ScenarioGenerator.Generate(family, 42);
            var c = ScenarioGenerator.Generate(family, 43);
            Assert.That(b.Values, Is.EqualTo(a.Values), family.Name);
            Assert.That(b.Parameters.Describe(), Is.EqualTo(a.Parameters.Describe()), family.Name);
            Assert.That(c.Parameters.Describe(), Is.Not.EqualTo(a.Parameters.Describe()), family.Name);
        }
    }

    [Test]
    public void Runs_stay_within_the_stated_ranges()
    {
        foreach (var (family, seed) in Runs())
        {
            var run = ScenarioGenerator.Generate(family, seed);
            var p = run.Parameters;
            var name = $"{family.Name} seed {seed}";
            Assert.That(run.Values, Has.Length.InRange(2, ScenarioGenerator.MaxSamples), name);
            Assert.That(p.Length, Is.InRange(1800, 8 * 86400.0), name);
            Assert.That(p.Interval, Is.InRange(1, 300.0), name);
            Assert.That(p.NoisePhi, Is.InRange(0, 0.99 + 1e-12), name);
            Assert.That(p.NoiseSigma, Is.InRange(0.002, 0.05), name);
            Assert.That(run.Values, Is.All.GreaterThan(0), name);
            if (!family.Leak)
            {
                Assert.That(run.Onset, Is.Null, name);
                Assert.That(run.Limit is null || run.Limit >= 1.5 * run.Values.Max(), name);
            }
            else
            {
                Assert.That(p.LeakRate, Is.InRange(0.003, 0.5), name);
                Assert.That(run.Onset, Is.InRange(0, 0.8 * p.Length), name);
            }
        }
    }

    [Test]
    public void A_leak_run_with_a_limit_ends_where_the_noise_free_series_reaches_it()
    {
        var checkedRuns = 0;
        foreach (var (family, seed) in Runs().Where(r => r.Family.Leak))
        {
            var run = ScenarioGenerator.Generate(family, seed);
            if (run.Exhaustion is not { } exhaustion)
            {
                continue;
            }

            var p = run.Parameters;
            var limit = run.Limit!.Value;
            Assert.That(p.Deterministic(exhaustion), Is.GreaterThanOrEqualTo(limit), $"{family.Name} seed {seed}");
            Assert.That(p.Deterministic(p.LeakOnset), Is.LessThan(limit), $"{family.Name} seed {seed}");
            Assert.That(run.Times[^1], Is.LessThan(Math.Min(p.Length, exhaustion)), $"{family.Name} seed {seed}");
            Assert.That(run.Values, Is.All.LessThanOrEqualTo(limit), $"{family.Name} seed {seed}");
            checkedRuns++;
        }

        Assert.That(checkedRuns, Is.GreaterThan(10));
    }

    [Test]
    public void A_staircase_leak_climbs_in_steps_and_averages_its_rate()
    {
        var p = new RunParameters { Family = "t", Seed = 0, Start = DateTimeOffset.UnixEpoch, Length = 36_000, Interval = 10, Level = 1e9, LeakRate = 0.1, LeakOnset = 3600, LeakStep = 1800 };
        Assert.Multiple(() =>
        {
            Assert.That(p.Leaked(3599), Is.Zero);
            Assert.That(p.Leaked(3600), Is.EqualTo(0.05e9).Within(1));
            Assert.That(p.Leaked(5399), Is.EqualTo(0.05e9).Within(1));
            Assert.That(p.Leaked(3600 + (10 * 1800)), Is.EqualTo(0.1e9 * 5.5).Within(1));
        });
    }
}
