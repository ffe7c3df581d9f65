using LeakGuard.Investigation;

namespace LeakGuard.Hosting;

/// <summary>Adapts <see cref="LeakInvestigator"/> to <see cref="ILeakInvestigator"/>.</summary>
/// <param name="investigator">The investigator (owned: disposed with the adapter).</param>
internal sealed class InvestigatorAdapter(LeakInvestigator investigator) : ILeakInvestigator
{
    /// <inheritdoc />
    public bool IsRunning => investigator.IsRunning;

    /// <inheritdoc />
    public TimeSpan EstimatedPause => investigator.EstimatedPause;

    /// <inheritdoc />
    public DateTimeOffset? CooldownEndsAt => investigator.CooldownEndsAt;

    /// <inheritdoc/>
    public string? UnavailableReason => investigator.UnavailableReason;

    /// <inheritdoc />
    public event Action<TimeSpan>? SnapshotTaken
    {
        add => investigator.SnapshotTaken += value;
        remove => investigator.SnapshotTaken -= value;
    }

    /// <inheritdoc />
    public IReadOnlyList<LeakReport> Reports => investigator.Reports;

    /// <inheritdoc />
    public Task<HeapSnapshotSummary> CaptureHeapSnapshotAsync(CancellationToken cancellationToken) =>
        investigator.CaptureHeapSnapshotAsync(cancellationToken);

    /// <inheritdoc />
    public Task<LeakReport?> InvestigateAsync(LeakVerdict? trigger, bool automatic, long? memoryLimitBytes, CancellationToken cancellationToken) =>
        investigator.InvestigateAsync(trigger, automatic, memoryLimitBytes, cancellationToken);

    /// <inheritdoc />
    public Task<LeakReport?> InvestigateRetainedAsync(IReadOnlyList<Retention.RetainedTypeGroup> retained, long? memoryLimitBytes, CancellationToken cancellationToken) =>
        investigator.InvestigateRetainedAsync(retained, memoryLimitBytes, cancellationToken);

    /// <inheritdoc />
    public Task<AllocationRecordingResult> RecordAllocationsAsync(TimeSpan duration, CancellationToken cancellationToken) =>
        investigator.RecordAllocationsAsync(duration, cancellationToken);

    /// <inheritdoc />
    public void Dispose() => investigator.Dispose();
}
