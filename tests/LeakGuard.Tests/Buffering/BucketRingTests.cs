using LeakGuard.Buffering;
using NUnit.Framework;

namespace LeakGuard.Tests.Buffering;

public sealed class BucketRingTests
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 24, 6, 0, 0, TimeSpan.Zero);

    [Test]
    public void Bucket_keeps_min_max_and_last_of_its_values()
    {
        var ring = new BucketRing(TimeSpan.FromSeconds(10), 8);
        ring.Add(T0.AddSeconds(1), 5);
        ring.Add(T0.AddSeconds(2), 9);
        ring.Add(T0.AddSeconds(3), 2);
        ring.Add(T0.AddSeconds(4), 6);

        // Buckets start at the first value, not at a multiple of the width since the epoch.
        Assert.That(ring.TryGetOpen(out var open), Is.True);
        Assert.That((open.Timestamp, open.Min, open.Max, open.Last), Is.EqualTo((T0.AddSeconds(1), 2.0, 9.0, 6.0)));
    }

    [Test]
    public void Bucket_boundaries_follow_the_first_value_so_a_time_shift_moves_nothing()
    {
        // The same values 7 min 13 s later fall into the same buckets relative to their start (epoch alignment moved them).
        foreach (var shift in new[] { TimeSpan.Zero, TimeSpan.FromSeconds(433), TimeSpan.FromSeconds(10860) })
        {
            var ring = new BucketRing(TimeSpan.FromSeconds(10), 8);
            for (var i = 0; i < 30; i++)
            {
                ring.Add(T0.AddSeconds(3 + i) + shift, i);
            }

            var closed = new SignalPoint[8];
            var count = ring.CopyClosed(closed);
            Assert.That(closed[..count].Select(p => (p.Timestamp - shift - T0, p.Min, p.Last)), Is.EqualTo(new[]
            {
                (TimeSpan.FromSeconds(3), 0.0, 9.0),
                (TimeSpan.FromSeconds(13), 10.0, 19.0),
            }));
        }
    }

    [Test]
    public void A_value_in_a_later_bucket_closes_the_open_one()
    {
        var ring = new BucketRing(TimeSpan.FromSeconds(10), 8);
        Assert.That(ring.Add(T0.AddSeconds(1), 5), Is.False);
        Assert.That(ring.Add(T0.AddSeconds(10.9), 7), Is.False);
        Assert.That(ring.Add(T0.AddSeconds(11), 1), Is.True);

        var closed = new SignalPoint[4];
        Assert.That(ring.CopyClosed(closed), Is.EqualTo(1));
        Assert.That((closed[0].Timestamp, closed[0].Min, closed[0].Max, closed[0].Last), Is.EqualTo((T0.AddSeconds(1), 5.0, 7.0, 7.0)));
        Assert.That(ring.TryGetOpen(out var open) ? open.Last : 0, Is.EqualTo(1));
    }

    [Test]
    public void Closed_buckets_wrap_and_keep_the_latest()
    {
        var ring = new BucketRing(TimeSpan.FromSeconds(1), 4);
        for (var i = 0; i < 10; i++)
        {
            ring.Add(T0.AddSeconds(i), i);
        }

        var closed = new SignalPoint[8];
        var count = ring.CopyClosed(closed);
        Assert.That(closed[..count].Select(p => p.Last), Is.EqualTo(new double[] { 5, 6, 7, 8 }));
    }

    [Test]
    public void Non_finite_values_are_ignored()
    {
        var ring = new BucketRing(TimeSpan.FromSeconds(1), 4);
        ring.Add(T0, double.NaN);
        Assert.That(ring.TryGetOpen(out _), Is.False);
        ring.Add(T0, double.PositiveInfinity);
        Assert.That(ring.TryGetOpen(out _), Is.False);
    }

    [Test]
    public void Width_below_a_millisecond_is_rejected_naming_the_parameter()
    {
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => _ = new BucketRing(TimeSpan.FromTicks(100), 8));

        Assert.That(e!.ParamName, Is.EqualTo("width"));
    }

    [Test]
    public void Capacity_that_is_not_a_power_of_two_is_rejected_naming_the_parameter()
    {
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => _ = new BucketRing(TimeSpan.FromSeconds(1), 6));

        Assert.That(e!.ParamName, Is.EqualTo("capacity"));
    }
}
