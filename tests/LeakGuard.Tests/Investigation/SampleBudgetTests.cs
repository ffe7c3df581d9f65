using LeakGuard.Investigation;
using NUnit.Framework;

namespace LeakGuard.Tests.Investigation;

/// <summary>The allocation recording's token bucket: what it lets through, and when the session reopens.</summary>
public class SampleBudgetTests
{
    [Test]
    public void A_stream_under_the_rate_never_runs_the_bucket_dry()
    {
        var budget = new SampleBudget(perSecond: 100, burst: 500);
        // 80 samples a second for ten minutes, evenly spaced.
        for (var i = 0; i < 80 * 600; i++)
        {
            Assert.That(budget.Take(TimeSpan.FromSeconds(i / 80.0)), Is.True, $"sample {i}");
        }
    }

    [TestCase(200.0)]
    [TestCase(1_000.0)]
    [TestCase(50_000.0)]
    public void A_stream_over_the_rate_is_taken_in_bursts_averaging_the_rate(double arriving)
    {
        // The recording's loop: samples arrive while the session is open; when the bucket runs dry the session closes
        // and reopens once the bucket is full again.
        const double perSecond = 100, burst = 500, seconds = 600;
        var budget = new SampleBudget(perSecond, burst);
        var now = TimeSpan.Zero;
        long taken = 0;
        var sessions = 1;
        while (now < TimeSpan.FromSeconds(seconds))
        {
            taken++;
            var open = budget.Take(now);
            now += TimeSpan.FromSeconds(1 / arriving);
            if (!open)
            {
                now += budget.UntilFull(now);
                sessions++;
            }
        }

        Assert.Multiple(() =>
        {
            Assert.That(taken, Is.LessThanOrEqualTo((perSecond * seconds) + burst + 1));
            Assert.That(taken, Is.GreaterThanOrEqualTo(perSecond * seconds * 0.95), "the rate is used, not starved");
            Assert.That(sessions, Is.GreaterThan(10));
        });
    }

    [Test]
    public void The_wait_is_the_time_the_rate_takes_to_fill_the_bucket_again()
    {
        var budget = new SampleBudget(perSecond: 100, burst: 500);
        for (var i = 0; i < 500; i++)
        {
            budget.Take(TimeSpan.Zero);
        }

        Assert.That(budget.UntilFull(TimeSpan.Zero), Is.EqualTo(TimeSpan.FromSeconds(5)));
        Assert.That(budget.UntilFull(TimeSpan.FromSeconds(2)), Is.EqualTo(TimeSpan.FromSeconds(3)));
        Assert.That(budget.UntilFull(TimeSpan.FromSeconds(60)), Is.EqualTo(TimeSpan.Zero));
    }

    [Test]
    public void No_limit_never_pauses()
    {
        var budget = new SampleBudget(double.PositiveInfinity, burst: 1);
        for (var i = 0; i < 10_000; i++)
        {
            Assert.That(budget.Take(TimeSpan.Zero), Is.True);
        }

        Assert.That(budget.UntilFull(TimeSpan.Zero), Is.EqualTo(TimeSpan.Zero));
    }

    [TestCase(0.0, 10.0, "perSecond")]
    [TestCase(-1.0, 10.0, "perSecond")]
    [TestCase(double.NaN, 10.0, "perSecond")]
    [TestCase(10.0, 0.5, "burst")]
    [TestCase(10.0, double.PositiveInfinity, "burst")]
    public void Bad_settings_are_refused_naming_the_parameter(double perSecond, double burst, string name) =>
        Assert.That(() => new SampleBudget(perSecond, burst), Throws.TypeOf<ArgumentOutOfRangeException>().With.Property("ParamName").EqualTo(name));
}
