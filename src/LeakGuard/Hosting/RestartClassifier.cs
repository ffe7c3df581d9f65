namespace LeakGuard.Hosting;

/// <summary>Tells how the previous instance ended from its state record. Pure.</summary>
internal static class RestartClassifier
{
    /// <summary>An unclean exit at or above this utilisation is taken for an OOM kill (of the container's limit) or an
    /// <see cref="OutOfMemoryException"/> (of the GC's heap limit): nothing else tells them inside a container without a
    /// readable oom_kill count when the exception never reached the top of the app.</summary>
    public const double ProbableOomUtilization = 0.9;

    /// <summary>Classifies the previous exit.</summary>
    /// <param name="previous">The previous instance's record, or <see langword="null"/> when there was none.</param>
    /// <param name="corrupt">Whether a record existed but could not be read.</param>
    /// <param name="currentOomKillCount">The container's OOM-kill count now, -1 when unknown.</param>
    /// <returns>A <see cref="RestartReasons"/> value, or <see langword="null"/> on a first start.</returns>
    public static string? Classify(RestartState? previous, bool corrupt, long currentOomKillCount)
    {
        if (corrupt)
        {
            return RestartReasons.Unknown;
        }

        if (previous is null)
        {
            return null;
        }

        // A host that catches the exception (ASP.NET Core answers 500) and then stops gracefully still died of it.
        if (previous.CleanExit)
        {
            return previous.ExitReason == RestartReasons.Recycled ? RestartReasons.Recycled
                : previous.OutOfMemory ? RestartReasons.OutOfMemory
                : RestartReasons.CleanExit;
        }

        // The kernel's count is the one hard evidence of a kill; an exception recorded earlier may have been survived.
        if (currentOomKillCount >= 0 && previous.OomKillCount >= 0 && currentOomKillCount > previous.OomKillCount)
        {
            return RestartReasons.OomKilled;
        }

        if (previous.OutOfMemory)
        {
            return RestartReasons.OutOfMemory;
        }

        return !(previous.LastUtilization >= ProbableOomUtilization) ? RestartReasons.Crashed
            : previous.LastLimit == LimitNames.GcHeapLimit ? RestartReasons.OutOfMemory
            : RestartReasons.OomKilled;
    }
}
