namespace LeakGuard.Investigation;

// CONTRACT STUB (owned by the investigation work): the shape the monitor codes against.
// The investigation branch replaces this file; keep the members below (add freely).

/// <summary>
/// Takes heap snapshots of the own process and turns two of them into a <see cref="LeakReport"/>,
/// honouring the safety rules (one at a time, cooldown, heap-size and headroom limits).
/// Never throws into the caller except for cancellation and <see cref="CaptureHeapSnapshotAsync"/>'s documented failures.
/// </summary>
internal sealed class LeakInvestigator : IDisposable
{
    /// <summary>Initializes a new instance of the <see cref="LeakInvestigator"/> class.</summary>
    /// <param name="options">The monitor's options (Snapshots and Reports sections).</param>
    /// <param name="timeProvider">The clock.</param>
    /// <param name="logger">The logger.</param>
    public LeakInvestigator(LeakGuardOptions options, TimeProvider timeProvider, Microsoft.Extensions.Logging.ILogger logger)
    {
        _ = options;
        _ = timeProvider;
        _ = logger;
    }

    /// <summary>Gets a value indicating whether a snapshot or investigation is running.</summary>
    public bool IsRunning { get; private set; }

    /// <summary>Gets the reports produced so far, oldest first (bounded).</summary>
    public IReadOnlyList<LeakReport> Reports { get; } = [];

    /// <summary>Occurs when an investigation produced a report.</summary>
    public event Action<LeakReport>? ReportProduced;

    /// <summary>Takes one snapshot now.</summary>
    /// <param name="cancellationToken">Cancels the wait.</param>
    /// <returns>The summary.</returns>
    /// <exception cref="InvalidOperationException">Snapshots are unavailable or another one is running.</exception>
    public Task<HeapSnapshotSummary> CaptureHeapSnapshotAsync(CancellationToken cancellationToken) =>
        IsRunning || cancellationToken.IsCancellationRequested
            ? Task.FromCanceled<HeapSnapshotSummary>(cancellationToken)
            : Task.FromException<HeapSnapshotSummary>(new InvalidOperationException("Heap snapshots are not implemented yet."));

    /// <summary>Runs an investigation: snapshot, wait, snapshot, diff, report.</summary>
    /// <param name="trigger">The verdict that triggered it, or <see langword="null"/> for a manual request.</param>
    /// <param name="automatic">Whether the safety limits for automatic snapshots apply (heap size, cooldown).</param>
    /// <param name="memoryLimitBytes">The effective memory limit for the headroom check, or <see langword="null"/>.</param>
    /// <param name="cancellationToken">Cancels the investigation.</param>
    /// <returns>The report, or <see langword="null"/> when skipped (the reason is logged).</returns>
    public Task<LeakReport?> InvestigateAsync(LeakVerdict? trigger, bool automatic, long? memoryLimitBytes, CancellationToken cancellationToken)
    {
        _ = trigger;
        _ = automatic;
        _ = memoryLimitBytes;
        _ = cancellationToken;
        ReportProduced?.Invoke(null!);
        return Task.FromResult<LeakReport?>(null);
    }

    /// <inheritdoc />
    public void Dispose() => IsRunning = false;
}
