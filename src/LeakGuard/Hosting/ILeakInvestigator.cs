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
}
