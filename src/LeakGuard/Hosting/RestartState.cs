namespace LeakGuard.Hosting;

/// <summary>The small record LeakGuard keeps in <c>StateDirectory</c> to recognise, at the next start, how this instance ended.</summary>
internal sealed record RestartState
{
    /// <summary>Gets the process id of the instance.</summary>
    public int ProcessId { get; init; }

    /// <summary>Gets when the instance started.</summary>
    public DateTimeOffset StartedAt { get; init; }

    /// <summary>Gets when the instance last wrote the record.</summary>
    public DateTimeOffset LastSeenAt { get; init; }

    /// <summary>Gets the last memory-limit utilisation seen, NaN when unknown.</summary>
    public double LastUtilization { get; init; } = double.NaN;

    /// <summary>Gets the container's OOM-kill count at the last write, -1 when unknown.</summary>
    public long OomKillCount { get; init; } = -1;

    /// <summary>Gets a value indicating whether the instance stopped cleanly.</summary>
    public bool CleanExit { get; init; }

    /// <summary>Gets why the instance stopped, when it did cleanly (<see cref="RestartReasons.Recycled"/> or <see cref="RestartReasons.CleanExit"/>).</summary>
    public string? ExitReason { get; init; }
}
