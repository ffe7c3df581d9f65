using LeakGuard.Detection;
using NUnit.Framework;

namespace LeakGuard.Tests.Detection;

public sealed class DailyCycleGuardTests
{
    private static readonly DateTimeOffset Origin = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    [Test]
    public void One_day_of_history_compares_the_window_with_the_same_window_a_day_earlier()
    {
        // 40-minute floors over 30 hours: a ±10 % daily cycle returns to the same floor a day later, a 0.5 %/h leak does not.
        var cycle = Floors(30, h => 100 + (10 * Math.Sin(2 * Math.PI * h / 24)));
        var leak = Floors(30, h => 100 + (0.5 * h));
        var window = TimeSpan.FromHours(3);
        Assert.Multiple(() =>
        {
            Assert.That(DailyCycleGuard.FloorsGrow(cycle, 1, window), Is.False);
            Assert.That(DailyCycleGuard.FloorsGrow(leak, 1, window), Is.True);

            // Less than a day and a window: no judgement.
            Assert.That(DailyCycleGuard.FloorsGrow(Floors(26, h => 100 + h), 1, window), Is.Null);
        });
    }

    [Test]
    public void Two_days_of_history_compare_whole_days_floors()
    {
        var cycle = Floors(60, h => 100 + (10 * Math.Sin(2 * Math.PI * h / 24)));
        var leak = Floors(60, h => 100 + (0.5 * h) + (10 * Math.Sin(2 * Math.PI * h / 24)));
        Assert.Multiple(() =>
        {
            Assert.That(DailyCycleGuard.FloorsGrow(cycle, 1, TimeSpan.FromHours(3)), Is.False);
            Assert.That(DailyCycleGuard.FloorsGrow(leak, 1, TimeSpan.FromHours(3)), Is.True);
        });
    }

    private static SignalPoint[] Floors(double hours, Func<double, double> valueAt)
    {
        var count = (int)(hours * 60 / 40);
        return Enumerable.Range(0, count + 1)
            .Select(i => new SignalPoint { Timestamp = Origin.AddMinutes(40 * i), Min = valueAt(40 * i / 60.0) })
            .ToArray();
    }
}
