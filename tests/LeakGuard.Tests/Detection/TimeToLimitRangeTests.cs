using LeakGuard.Detection;
using NUnit.Framework;
using static LeakGuard.Tests.Detection.DetectorScenarios;

namespace LeakGuard.Tests.Detection;

public sealed class TimeToLimitRangeTests
{
    private const double Mb = 1_000_000;

    // The configuration of the real-OOM test (tests/LeakGuard.IntegrationTests/Oom/RealOomTests.cs).
    private static readonly DetectorSettings OomSettings = DetectorSettings.FromOptions(new LeakGuardOptions
    {
        SampleInterval = TimeSpan.FromMilliseconds(250),
        WarmUp = TimeSpan.FromSeconds(15),
        Detection = new DetectionOptions { Window = TimeSpan.FromSeconds(5) },
    });

    [Test]
    public void Time_to_limit_range_contains_the_death_of_a_heap_that_grows_in_steps_at_a_wobbling_rate()
    {
        // A managed leak as the GC shows it: the heap is read after each collection (every 1.3 s), so it rises in steps of
        // what survived since the last one, at a rate that wobbles ±15 % around 1.5 MB/s (the leak shares its cores). The
        // process dies at the first collection after which the next allocation budget (2 MB) no longer fits under the limit.
        const double limit = 200 * Mb;
        var leak = new SteppedLeak(Base: 40 * Mb, Rate: 1.5 * Mb, Wobble: 0.15, Period: 24, GcEvery: 1.3, Budget: 2 * Mb, Limit: limit);
        var death = leak.Death();
        var verdicts = Replay((t, _) => leak.HeapAt(t), TimeSpan.FromSeconds(death - 40), settings: OomSettings, limit: limit);

        // Every verdict from a minute before the death on (the T-60 s and the ones after it).
        var late = verdicts.Where(v => death - Seconds(v) <= 65).ToList();
        Assert.That(late, Is.Not.Empty);
        var first = late[0];
        TestContext.Out.WriteLine($"death at {death:0.0} s; at {Seconds(first):0.0} s ({death - Seconds(first):0.0} s left): {first.TimeToLimit?.TotalSeconds:0.0} s ({first.TimeToLimitEarliest?.TotalSeconds:0.0}–{first.TimeToLimitLatest?.TotalSeconds:0.0} s)");
        Assert.Multiple(() =>
        {
            foreach (var v in late)
            {
                var left = death - Seconds(v);
                Assert.That(v.State, Is.EqualTo(LeakState.Leaking), $"at {Seconds(v):0.0} s");
                Assert.That(v.TimeToLimitEarliest!.Value.TotalSeconds, Is.LessThanOrEqualTo(left), $"at {Seconds(v):0.0} s, {left:0.0} s before the death: earliest");
                Assert.That(v.TimeToLimitLatest!.Value.TotalSeconds, Is.GreaterThanOrEqualTo(left), $"at {Seconds(v):0.0} s, {left:0.0} s before the death: latest");
                Assert.That(v.TimeToLimit!.Value.TotalSeconds, Is.EqualTo(left).Within(0.25 * left), $"at {Seconds(v):0.0} s: the projection");
            }
        });
    }

    private static double Seconds(LeakVerdict v) => (v.EvaluatedAt - Origin).TotalSeconds;

    /// <summary>A heap read after each collection, growing at a rate that wobbles sinusoidally.</summary>
    private sealed record SteppedLeak(double Base, double Rate, double Wobble, double Period, double GcEvery, double Budget, double Limit)
    {
        /// <summary>The bytes leaked by <paramref name="t"/>: the integral of Rate × (1 + Wobble × sin(2πt / Period)).</summary>
        public double Leaked(double t) => Rate * (t + (Wobble * Period / (2 * Math.PI) * (1 - Math.Cos(2 * Math.PI * t / Period))));

        public double HeapAt(double t) => Base + Leaked(Math.Floor(t / GcEvery) * GcEvery);

        public double Death()
        {
            var gc = 0.0;
            while (Base + Leaked(gc) + Budget <= Limit)
            {
                gc += GcEvery;
            }

            return gc;
        }
    }
}
