namespace LeakGuard.AspNetCore.Endpoints;

/// <summary>
/// Lets one "Investigate now" run at a time and remembers when the last one started, so the snapshot
/// cooldown holds even when the monitor does not report its own (<see cref="ILeakMonitor.SnapshotCooldownEndsAt"/>).
/// </summary>
internal sealed class InvestigationGate
{
    private int _running;
    private long _lastStartTicks = long.MinValue;

    /// <summary>Gets a value indicating whether an investigation started here is running.</summary>
    public bool IsRunning => Volatile.Read(ref _running) != 0;

    /// <summary>Gets when the last investigation started here began, or <see langword="null"/>.</summary>
    public DateTimeOffset? LastStart
    {
        get
        {
            var ticks = Interlocked.Read(ref _lastStartTicks);
            return ticks == long.MinValue ? null : new DateTimeOffset(ticks, TimeSpan.Zero);
        }
    }

    /// <summary>Claims the gate.</summary>
    /// <param name="now">The current time, remembered as the start.</param>
    /// <returns><see langword="true"/> when the caller may start; <see langword="false"/> when one is running.</returns>
    public bool TryEnter(DateTimeOffset now)
    {
        if (Interlocked.CompareExchange(ref _running, 1, 0) != 0)
        {
            return false;
        }

        Interlocked.Exchange(ref _lastStartTicks, now.UtcTicks);
        return true;
    }

    /// <summary>Releases the gate after the investigation ended.</summary>
    public void Exit() => Volatile.Write(ref _running, 0);

    /// <summary>Computes when the next investigation may start.</summary>
    /// <param name="monitorCooldownEnd">The monitor's own cooldown end, if any.</param>
    /// <param name="cooldown">The configured snapshot cooldown.</param>
    /// <returns>The later of the monitor's cooldown end and the last start here plus the cooldown, or <see langword="null"/>.</returns>
    public DateTimeOffset? CooldownEnd(DateTimeOffset? monitorCooldownEnd, TimeSpan cooldown)
    {
        var own = LastStart is { } start && cooldown > TimeSpan.Zero ? start + cooldown : (DateTimeOffset?)null;
        if (own is null)
        {
            return monitorCooldownEnd;
        }

        return monitorCooldownEnd is { } m && m > own.Value ? m : own;
    }
}
