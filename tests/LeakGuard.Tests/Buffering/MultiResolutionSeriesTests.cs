using LeakGuard.Buffering;
using NUnit.Framework;

namespace LeakGuard.Tests.Buffering;

public sealed class MultiResolutionSeriesTests
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 24, 6, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan[] Widths = [TimeSpan.FromSeconds(10), TimeSpan.FromMinutes(1), TimeSpan.FromMinutes(10)];

    [Test]
    public void Every_resolution_receives_every_value()
    {
        var series = new MultiResolutionSeries(Widths, 64);
        for (var s = 0; s < 3600; s += 5)
        {
            series.Add(T0.AddSeconds(s), s);
        }

        var closed = new SignalPoint[64];
        Assert.Multiple(() =>
        {
            Assert.That(series.LevelCount, Is.EqualTo(3));
            Assert.That(series[0].CopyClosed(closed), Is.EqualTo(64));
            Assert.That(series[1].CopyClosed(closed), Is.EqualTo(59));
            Assert.That(closed[58].Min, Is.EqualTo(3480));
            Assert.That(series[2].CopyClosed(closed), Is.EqualTo(5));
            Assert.That(closed[4].Max, Is.EqualTo(2995));
        });
    }

    [Test]
    public void Add_reports_when_the_finest_resolution_closes_a_bucket()
    {
        var series = new MultiResolutionSeries(Widths, 8);

        Assert.That(new[] { series.Add(T0, 1), series.Add(T0.AddSeconds(5), 2), series.Add(T0.AddSeconds(10), 3) }, Is.EqualTo(new[] { false, false, true }));
    }

    [TestCase(9, 0)]
    [TestCase(50, 1)]
    [TestCase(3600, 2)]
    public void Closest_picks_the_nearest_width(int seconds, int level)
    {
        var series = new MultiResolutionSeries(Widths, 8);

        Assert.That(series.Closest(TimeSpan.FromSeconds(seconds)), Is.SameAs(series[level]));
    }

    [Test]
    public void Empty_or_unordered_widths_are_rejected_naming_the_parameter()
    {
        var empty = Assert.Throws<ArgumentOutOfRangeException>(() => _ = new MultiResolutionSeries([], 8));
        var unordered = Assert.Throws<ArgumentOutOfRangeException>(() => _ = new MultiResolutionSeries([TimeSpan.FromMinutes(1), TimeSpan.FromSeconds(10)], 8));

        Assert.That((empty!.ParamName, unordered!.ParamName), Is.EqualTo(("widths", "widths")));
    }

    [Test]
    public void Level_out_of_range_is_rejected_naming_the_parameter()
    {
        var series = new MultiResolutionSeries(Widths, 8);

        Assert.That(Assert.Throws<ArgumentOutOfRangeException>(() => _ = series[3])!.ParamName, Is.EqualTo("level"));
    }
}
