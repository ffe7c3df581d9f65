namespace LeakGuard;

/// <summary>
/// The detector's verdict for one signal: its state, how fast it grows (with a confidence interval)
/// and when it is projected to reach the memory limit.
/// </summary>
public sealed class LeakVerdict
{
    private long? _limitBytes;
    private string? _limit;
    private string? _usage;

    /// <summary>Gets the signal's name, as used in the <c>leakguard.signal</c> attribute (for example <c>managed_heap</c>).</summary>
    public required string Signal { get; init; }

    /// <summary>Gets the state after hysteresis.</summary>
    public required LeakState State { get; init; }

    /// <summary>Gets the time of the evaluation that produced this verdict.</summary>
    public DateTimeOffset EvaluatedAt { get; init; }

    /// <summary>Gets the time the signal entered <see cref="State"/>.</summary>
    public DateTimeOffset Since { get; init; }

    /// <summary>Gets the analysis horizon (window length) that decided the verdict, or <see cref="TimeSpan.Zero"/> when none could.</summary>
    public TimeSpan Horizon { get; init; }

    /// <summary>Gets the robust (Theil–Sen) growth rate in signal units per second (bytes per second for memory signals).</summary>
    public double GrowthRatePerSecond { get; init; }

    /// <summary>Gets the lower bound of the growth rate's confidence interval, in units per second.</summary>
    public double GrowthRateLowerPerSecond { get; init; }

    /// <summary>Gets the upper bound of the growth rate's confidence interval, in units per second.</summary>
    public double GrowthRateUpperPerSecond { get; init; }

    /// <summary>Gets the growth of the signal's floor since the start of the deciding window, in signal units.</summary>
    public double GrowthSinceBaseline { get; init; }

    /// <summary>Gets the one-sided p-value of the trend test (smaller is more certain); 1 when no test ran.</summary>
    public double PValue { get; init; } = 1;

    /// <summary>Gets the last floor value of the signal, in signal units.</summary>
    public double CurrentValue { get; init; }

    /// <summary>Gets the projected time until the signal reaches the memory limit at the estimated rate, counted from the newest floor, or <see langword="null"/> when there is no limit or no growth.</summary>
    public TimeSpan? TimeToLimit { get; init; }

    /// <summary>
    /// Gets the earliest projected time to the limit, or <see langword="null"/>: at the upper end of the rate's 95 % interval
    /// widened by the rate's drift across the rise, to one step of the signal below the limit.
    /// </summary>
    public TimeSpan? TimeToLimitEarliest { get; init; }

    /// <summary>Gets the latest projected time to the limit (at the lower end of the rate's 95 % interval widened by its drift), or <see langword="null"/> when that end shows no growth.</summary>
    public TimeSpan? TimeToLimitLatest { get; init; }

    /// <summary>
    /// Gets the memory limit <see cref="TimeToLimit"/> is projected to, or <see langword="null"/> for a signal without one:
    /// the limit whose end comes first for this signal (for <c>managed_heap</c>, <c>gen2</c> and <c>loh</c> the GC's heap
    /// limit when it is the nearer one; for <c>process_memory</c> and <c>native_memory</c> the container's limit).
    /// </summary>
    public long? LimitBytes { get => _limitBytes; init => _limitBytes = value; }

    /// <summary>
    /// Gets which limit <see cref="LimitBytes"/> is: <c>configured</c> (<c>LeakGuard:MemoryLimitBytes</c>), <c>container</c>
    /// (the cgroup's), <c>gc_heap_limit</c> (the GC's heap hard limit, 75 % of a container's limit unless configured) or
    /// <c>gc_available_memory</c> (the GC's view of the machine's memory), or <see langword="null"/>.
    /// </summary>
    public string? Limit { get => _limit; init => _limit = value; }

    /// <summary>
    /// Gets the usage counted against <see cref="LimitBytes"/>: <c>cgroup_working_set</c> (the cgroup's usage minus inactive
    /// file pages), <c>rss</c> (the process's resident memory), <c>cgroup_usage</c> or <c>gc_heap</c> (the GC heap's size), or
    /// <see langword="null"/>.
    /// </summary>
    public string? Usage { get => _usage; init => _usage = value; }

    /// <summary>Gets a short human-readable explanation of the verdict (which test passed or failed).</summary>
    public string Reason { get; init; } = string.Empty;

    /// <summary>Returns a copy of this verdict that names the limit its time to limit was projected to.</summary>
    /// <param name="limitBytes">The limit.</param>
    /// <param name="limit">Which limit it is.</param>
    /// <param name="usage">Which usage counts against it.</param>
    /// <returns>The copy (every other value unchanged).</returns>
    internal LeakVerdict WithLimit(long limitBytes, string limit, string usage)
    {
        var copy = (LeakVerdict)MemberwiseClone();
        copy._limitBytes = limitBytes;
        copy._limit = limit;
        copy._usage = usage;
        return copy;
    }

    /// <inheritdoc />
    public override string ToString() =>
        $"{Signal}: {State} ({GrowthRatePerSecond:G4}/s, p={PValue:G3}) {Reason}";
}
