namespace LeakGuard.Detection;

/// <summary>
/// Tells a leak from a daily cycle by comparing daily floors: a leak raises every day's minimum, a cycle
/// (traffic by day, batch jobs by night) brings it back. With two days of history it compares whole days' floors;
/// with one day plus a window, the window's floor against the same window a day earlier; with less it cannot judge.
/// </summary>
internal static class DailyCycleGuard
{
    private static readonly long DayTicks = TimeSpan.FromDays(1).Ticks;

    /// <summary>Judges whether the day-over-day floors grow by at least <paramref name="requiredGrowth"/>.</summary>
    /// <param name="points">The coarsest history after the warm-up, oldest first.</param>
    /// <param name="requiredGrowth">The growth per day the floors must show.</param>
    /// <param name="window">The judged window's span (for the one-day comparison).</param>
    /// <returns><see langword="true"/> when the floors grow, <see langword="false"/> when they do not, <see langword="null"/> with under a day and a window of history.</returns>
    public static bool? FloorsGrow(ReadOnlySpan<SignalPoint> points, double requiredGrowth, TimeSpan window)
    {
        if (points.Length < 2)
        {
            return null;
        }

        var end = points[^1].Timestamp.UtcTicks;
        var days = (int)Math.Min(3, (end - points[0].Timestamp.UtcTicks) / DayTicks);
        if (days < 2)
        {
            return SameWindowDayEarlierGrows(points, requiredGrowth, window.Ticks);
        }

        // Floors of the last `days` whole days counted back from the newest bucket, newest day first.
        var previous = double.NaN;
        for (var d = 0; d < days; d++)
        {
            var dayEnd = end - (d * DayTicks);
            var dayStart = dayEnd - DayTicks;
            var floor = double.PositiveInfinity;
            foreach (var p in points)
            {
                var ticks = p.Timestamp.UtcTicks;
                if (ticks > dayStart && ticks <= dayEnd)
                {
                    floor = Math.Min(floor, p.Min);
                }
            }

            if (!double.IsNaN(previous) && !(previous - floor >= requiredGrowth))
            {
                return false;
            }

            previous = floor;
        }

        return true;
    }

    /// <summary>Compares the floor of the latest window with the floor of the same window one day earlier.</summary>
    private static bool? SameWindowDayEarlierGrows(ReadOnlySpan<SignalPoint> points, double requiredGrowth, long windowTicks)
    {
        var end = points[^1].Timestamp.UtcTicks;
        if (windowTicks <= 0 || end - points[0].Timestamp.UtcTicks < DayTicks + windowTicks)
        {
            return null;
        }

        var recent = double.PositiveInfinity;
        var dayEarlier = double.PositiveInfinity;
        foreach (var p in points)
        {
            var ticks = p.Timestamp.UtcTicks;
            if (ticks > end - windowTicks)
            {
                recent = Math.Min(recent, p.Min);
            }
            else if (ticks > end - DayTicks - windowTicks && ticks <= end - DayTicks)
            {
                dayEarlier = Math.Min(dayEarlier, p.Min);
            }
        }

        return double.IsFinite(recent) && double.IsFinite(dayEarlier) ? recent - dayEarlier >= requiredGrowth : null;
    }
}
