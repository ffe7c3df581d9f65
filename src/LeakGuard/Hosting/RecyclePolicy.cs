namespace LeakGuard.Hosting;

/// <summary>
/// Decides when to stop the application gracefully before it runs out of memory: a leaking memory signal that may reach
/// its limit within <see cref="RecycleOptions.TimeToLimitHorizon"/> (issue 21: a fixed 0.9 for 5 minutes never fired
/// before the deaths it measured), or utilisation above the threshold for <see cref="RecycleOptions.For"/> outside the grace
/// period after start; at most once per process.
/// </summary>
internal sealed class RecyclePolicy
{
    private readonly RecycleOptions _options;
    private readonly DateTimeOffset _startedAt;
    private bool _observed;

    /// <summary>Initializes a new instance of the <see cref="RecyclePolicy"/> class.</summary>
    /// <param name="options">The recycle settings.</param>
    /// <param name="startedAt">When the monitor started.</param>
    public RecyclePolicy(RecycleOptions options, DateTimeOffset startedAt)
    {
        _options = options;
        _startedAt = startedAt;
    }

    /// <summary>Gets when utilisation last rose above the threshold, or <see langword="null"/> while it is below.</summary>
    public DateTimeOffset? AboveSince { get; private set; }

    /// <summary>Gets a value indicating whether the recycle has been decided (it never is again).</summary>
    public bool Triggered { get; private set; }

    /// <summary>Gets a value indicating whether recycling was refused because the process started above the limit itself.</summary>
    public bool Refused { get; private set; }

    /// <summary>Gets the leak whose projection decided the recycle, or <see langword="null"/> when utilisation did (or none yet).</summary>
    public LeakVerdict? DecidingLeak { get; private set; }

    /// <summary>Observes one utilisation reading and the most urgent leak.</summary>
    /// <param name="now">The reading's time.</param>
    /// <param name="utilization">The utilisation, NaN when unknown (which resets the clock).</param>
    /// <param name="urgentLeak">The leaking memory signal that may reach its limit soonest, or <see langword="null"/>.</param>
    /// <returns><see langword="true"/> exactly once: when the application should be stopped now.</returns>
    public bool Observe(DateTimeOffset now, double utilization, LeakVerdict? urgentLeak = null)
    {
        if (!_options.Enabled || Triggered || Refused)
        {
            return false;
        }

        // Above the limit itself at the first reading: no real limit lets a process start above it, so the configured
        // one is wrong, and recycling would stop every instance right after its start. Refused for this process.
        if (!_observed)
        {
            _observed = true;
            if (utilization > 1)
            {
                Refused = true;
                return false;
            }
        }

        if (ReachesLimitWithinHorizon(now, urgentLeak))
        {
            Triggered = true;
            DecidingLeak = urgentLeak;
            return true;
        }

        if (!(utilization > _options.UtilizationThreshold))
        {
            AboveSince = null;
            return false;
        }

        AboveSince ??= now;
        if (now - _startedAt < _options.GracePeriod || now - AboveSince.Value < _options.For)
        {
            return false;
        }

        Triggered = true;
        return true;
    }

    /// <summary>The earliest end of the projection, counted from now (the verdict is as old as its bucket), under the horizon;
    /// a held verdict that no longer grows projects nothing.</summary>
    private bool ReachesLimitWithinHorizon(DateTimeOffset now, LeakVerdict? leak) =>
        _options.TimeToLimitHorizon > TimeSpan.Zero
        && leak is { State: LeakState.Leaking, GrowthRatePerSecond: > 0, TimeToLimitEarliest: { } earliest }
        && leak.EvaluatedAt + earliest - now < _options.TimeToLimitHorizon;
}
