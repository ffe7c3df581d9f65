namespace LeakGuard.Tests;

/// <summary>Waits for a condition with a deadline instead of sleeping and hoping.</summary>
internal static class Eventually
{
    /// <summary>Evaluates <paramref name="condition"/> until it holds or <paramref name="within"/> has passed.</summary>
    /// <param name="condition">The condition; it may also drive what it waits for (e.g. induce a collection).</param>
    /// <param name="within">The deadline.</param>
    /// <param name="pause">The sleep between two evaluations; zero evaluates again at once.</param>
    /// <returns>Whether the condition held, checked a last time at the deadline.</returns>
    public static bool Holds(Func<bool> condition, TimeSpan within, TimeSpan pause)
    {
        var deadline = Environment.TickCount64 + (long)within.TotalMilliseconds;
        while (Environment.TickCount64 < deadline)
        {
            if (condition())
            {
                return true;
            }

            if (pause > TimeSpan.Zero)
            {
                Thread.Sleep(pause);
            }
        }

        return condition();
    }
}
