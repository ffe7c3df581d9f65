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

    /// <summary>Gets which limit <see cref="LastUtilization"/> was of (a <see cref="LimitNames"/> value), or <see langword="null"/>.</summary>
    public string? LastLimit { get; init; }

    /// <summary>Gets a value indicating whether the instance ran out of memory: an <see cref="OutOfMemoryException"/> reached the
    /// top of the app, or one was thrown while the heap was at the GC's limit and it has not recovered since.</summary>
    public bool OutOfMemory { get; init; }

    /// <summary>Gets the signals suspected of leaking or leaking at the last write, as <c>signal:State</c> joined by commas, or <see langword="null"/>.</summary>
    public string? Alarms { get; init; }

    /// <summary>Gets the container's OOM-kill count at the last write, -1 when unknown.</summary>
    public long OomKillCount { get; init; } = -1;

    /// <summary>Gets a value indicating whether the instance stopped cleanly.</summary>
    public bool CleanExit { get; init; }

    /// <summary>Gets why the instance stopped, when it did cleanly (<see cref="RestartReasons.Recycled"/> or <see cref="RestartReasons.CleanExit"/>).</summary>
    public string? ExitReason { get; init; }
}
