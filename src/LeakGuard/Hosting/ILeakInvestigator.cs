using LeakGuard.Investigation;

namespace LeakGuard.Hosting;

/// <summary>The monitor's view of <see cref="LeakInvestigator"/> (a seam so the wiring is tested without heap snapshots).</summary>
internal interface ILeakInvestigator : IDisposable
{
    /// <summary>Gets a value indicating whether a snapshot or investigation is running.</summary>
    bool IsRunning { get; }

    /// <summary>Gets the reports so far, oldest first.</summary>
    IReadOnlyList<LeakReport> Reports { get; }

    /// <summary>Takes one snapshot now.</summary>
    /// <param name="cancellationToken">Cancels the wait.</param>
    /// <returns>The summary.</returns>
    Task<HeapSnapshotSummary> CaptureHeapSnapshotAsync(CancellationToken cancellationToken);

    /// <summary>Runs an investigation.</summary>
    /// <param name="trigger">The triggering verdict, or <see langword="null"/> when manual.</param>
    /// <param name="automatic">Whether automatic-snapshot safety limits apply.</param>
    /// <param name="memoryLimitBytes">The effective memory limit, or <see langword="null"/>.</param>
    /// <param name="cancellationToken">Cancels it.</param>
    /// <returns>The report, or <see langword="null"/> when skipped.</returns>
    Task<LeakReport?> InvestigateAsync(LeakVerdict? trigger, bool automatic, long? memoryLimitBytes, CancellationToken cancellationToken);

    /// <summary>Occurs after every heap snapshot with how long it took.</summary>
    event Action<TimeSpan>? SnapshotTaken
    {
        add { }
        remove { }
    }

    /// <summary>Gets the estimated pause of a snapshot taken now (from the live objects), zero when unknown.</summary>
    TimeSpan EstimatedPause => TimeSpan.Zero;

    /// <summary>Gets when the cooldown after the last automatic investigation ends, or <see langword="null"/>.</summary>
    DateTimeOffset? CooldownEndsAt => null;

    /// <summary>Gets why heap snapshots cannot be taken in this process, or <see langword="null"/> while they may work.</summary>
    string? UnavailableReason => null;

    /// <summary>Takes one snapshot and reports the retention paths of the retained watched objects' types (see <c>Retention/</c>).</summary>
    /// <param name="retained">The retained objects grouped by type, with their labels.</param>
    /// <param name="memoryLimitBytes">The effective memory limit, or <see langword="null"/>.</param>
    /// <param name="cancellationToken">Cancels it.</param>
    /// <returns>The report, or <see langword="null"/> when skipped.</returns>
    Task<LeakReport?> InvestigateRetainedAsync(IReadOnlyList<Retention.RetainedTypeGroup> retained, long? memoryLimitBytes, CancellationToken cancellationToken) =>
        Task.FromResult<LeakReport?>(null);

    /// <summary>Records sampled allocations with their call stacks for a duration.</summary>
    /// <param name="duration">How long to record.</param>
    /// <param name="cancellationToken">Cancels it.</param>
    /// <returns>The types allocated most, with their stacks.</returns>
    Task<AllocationRecordingResult> RecordAllocationsAsync(TimeSpan duration, CancellationToken cancellationToken) =>
        Task.FromException<AllocationRecordingResult>(new NotSupportedException("This investigator cannot record allocations."));
}
