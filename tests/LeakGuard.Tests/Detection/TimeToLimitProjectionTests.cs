using LeakGuard.Detection;
using NUnit.Framework;

namespace LeakGuard.Tests.Detection;

public sealed class TimeToLimitProjectionTests
{
    private const double Mb = 1_000_000;

    [Test]
    public void Step_of_a_smooth_rise_is_its_growth_over_one_floor_spacing()
    {
        var t = Times(32, spacing: 0.5);
        var y = t.Select(s => 100 * Mb + (2 * Mb * s)).ToArray();
        Assert.That(TimeToLimitProjection.Step(t, y, 2 * Mb), Is.EqualTo(1 * Mb).Within(1));
    }

    [Test]
    public void Step_of_a_staircase_is_one_stair()
    {
        // 3 MB every 2 s, read every 0.5 s: 1.5 MB/s, but the value jumps by 3 MB.
        var t = Times(32, spacing: 0.5);
        var y = t.Select(s => 100 * Mb + (3 * Mb * Math.Floor(s / 2))).ToArray();
        Assert.That(TimeToLimitProjection.Step(t, y, 1.5 * Mb), Is.EqualTo(3 * Mb).Within(1));
    }

    [Test]
    public void Rate_drift_of_a_steady_noisy_rise_is_small_against_its_rate()
    {
        var random = new Random(7);
        var t = Times(64, spacing: 0.5);
        var y = t.Select(s => 100 * Mb + (2 * Mb * s) + (random.NextDouble() * 1 * Mb)).ToArray();
        Assert.That(TimeToLimitProjection.RateDrift(t, y), Is.LessThan(0.05 * 2 * Mb));
    }

    [Test]
    public void Rate_drift_of_a_rise_that_changes_pace_is_the_spread_of_its_segments_rates()
    {
        // 1 MB/s for the first half, 3 MB/s for the second: segment rates 1, 1, 3, 3 MB/s (standard deviation ≈ 1.15 MB/s).
        var t = Times(64, spacing: 0.5);
        var y = t.Select(s => s < 16 ? 100 * Mb + (1 * Mb * s) : 116 * Mb + (3 * Mb * (s - 16))).ToArray();
        Assert.That(TimeToLimitProjection.RateDrift(t, y), Is.EqualTo(1.15 * Mb).Within(0.1 * Mb));
    }

    [Test]
    public void Projection_counts_from_the_newest_floor_and_brackets_the_point()
    {
        // 100 MB left at 2 MB/s from a floor taken 1 s ago: 49 s from now.
        var t = Times(32, spacing: 0.5);
        var y = t.Select(s => 100 * Mb + (2 * Mb * s)).ToArray();
        var limit = y[^1] + (100 * Mb);
        var (point, earliest, latest) = TimeToLimitProjection.Project(limit, t, y, onsetSeconds: 0, 2 * Mb, 1.9 * Mb, 2.1 * Mb, ageSeconds: 1);
        Assert.Multiple(() =>
        {
            Assert.That(point!.Value.TotalSeconds, Is.EqualTo(49).Within(1e-6));
            Assert.That(earliest!.Value.TotalSeconds, Is.EqualTo(((100 - 1) / 2.1) - 1).Within(1e-3), "one step (1 MB) early at the upper rate");
            Assert.That(latest!.Value.TotalSeconds, Is.EqualTo((100 / 1.9) - 1).Within(1e-3));
        });
    }

    [Test]
    public void The_heap_limits_slack_moves_only_the_earliest_end()
    {
        // The GC's commit runs 10 MB ahead of the heap's size: the heap may die 10 MB short of the hard limit.
        var t = Times(32, spacing: 0.5);
        var y = t.Select(s => 100 * Mb + (2 * Mb * s)).ToArray();
        var limit = y[^1] + (100 * Mb);
        var without = TimeToLimitProjection.Project(limit, t, y, onsetSeconds: 0, 2 * Mb, 1.9 * Mb, 2.1 * Mb, ageSeconds: 1);
        var with = TimeToLimitProjection.Project(limit, t, y, onsetSeconds: 0, 2 * Mb, 1.9 * Mb, 2.1 * Mb, ageSeconds: 1, slack: 10 * Mb);
        Assert.Multiple(() =>
        {
            Assert.That(with.Earliest!.Value.TotalSeconds, Is.EqualTo(((100 - 1 - 10) / 2.1) - 1).Within(1e-3));
            Assert.That((with.Point, with.Latest), Is.EqualTo((without.Point, without.Latest)));
            Assert.That(TimeToLimitProjection.Project(limit, t, y, 0, 2 * Mb, 1.9 * Mb, 2.1 * Mb, 1, slack: double.NaN), Is.EqualTo(without), "a slack that is not a number is none");
        });
    }

    [Test]
    public void Projection_without_a_limit_or_a_rise_is_empty_and_an_unbounded_end_is_null()
    {
        var t = Times(32, spacing: 0.5);
        var y = t.Select(s => 100 * Mb + (2 * Mb * s)).ToArray();
        Assert.Multiple(() =>
        {
            Assert.That(TimeToLimitProjection.Project(null, t, y, 0, 2 * Mb, 1.9 * Mb, 2.1 * Mb, 0), Is.EqualTo(default((TimeSpan?, TimeSpan?, TimeSpan?))));
            Assert.That(TimeToLimitProjection.Project(1000 * Mb, t, y, 0, 0, -1, 1, 0), Is.EqualTo(default((TimeSpan?, TimeSpan?, TimeSpan?))));
            var (point, earliest, latest) = TimeToLimitProjection.Project(1000 * Mb, t, y, 0, 2 * Mb, -0.1 * Mb, 4.1 * Mb, 0);
            Assert.That((point, earliest), Is.Not.EqualTo(default((TimeSpan?, TimeSpan?))));
            Assert.That(latest, Is.Null, "a rate whose interval reaches zero may never reach the limit");
        });
    }

    [Test]
    public void Projection_of_a_signal_at_its_limit_is_zero()
    {
        var t = Times(32, spacing: 0.5);
        var y = t.Select(s => 100 * Mb + (2 * Mb * s)).ToArray();
        var (point, earliest, latest) = TimeToLimitProjection.Project(y[^1], t, y, 0, 2 * Mb, 1.9 * Mb, 2.1 * Mb, 0.5);
        Assert.That((point, earliest, latest), Is.EqualTo(((TimeSpan?)TimeSpan.Zero, (TimeSpan?)TimeSpan.Zero, (TimeSpan?)TimeSpan.Zero)));
    }

    private static double[] Times(int n, double spacing) => Enumerable.Range(0, n).Select(i => i * spacing).ToArray();
}
