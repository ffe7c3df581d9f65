using LeakGuard.Investigation;
using LeakGuard.Sources;

namespace LeakGuard;

/// <summary>
/// The running leak monitor: current verdicts, recent samples and series, leak events, user gauges and investigations.
/// Resolve it from dependency injection after <c>AddLeakGuard()</c>, or get it from <c>LeakMonitor.Start(options)</c>.
/// </summary>
public interface ILeakMonitor
{
    /// <summary>Gets the options the monitor runs with.</summary>
    LeakGuardOptions Options { get; }

    /// <summary>Gets a value indicating whether the monitor is sampling.</summary>
    bool IsRunning { get; }

    /// <summary>Gets the effective memory limit in bytes (option, cgroup v2, cgroup v1, GC available memory), or <see langword="null"/> when unknown.</summary>
    long? MemoryLimitBytes { get; }

    /// <summary>Gets the current verdict of every signal, keyed by signal name.</summary>
    IReadOnlyDictionary<string, LeakVerdict> Verdicts { get; }

    /// <summary>Gets the latest leak report, or <see langword="null"/> when no investigation has completed.</summary>
    LeakReport? LatestReport { get; }

    /// <summary>Gets the reports of this process's investigations, oldest first (bounded by <c>Reports:MaxCount</c>).</summary>
    IReadOnlyList<LeakReport> Reports { get; }

    /// <summary>Gets a value indicating whether an investigation or snapshot is running now.</summary>
    bool IsInvestigating { get; }

    /// <summary>
    /// Gets when the snapshot cooldown (<c>Snapshots:Cooldown</c>) that follows the last investigation or snapshot ends,
    /// or <see langword="null"/> when no cooldown is running. Callers that start investigations on request
    /// (the dashboard's "Investigate now") refuse until then, because each snapshot pauses the application.
    /// </summary>
    /// <value>The default implementation returns <see langword="null"/>.</value>
    DateTimeOffset? SnapshotCooldownEndsAt => null;

    /// <summary>
    /// Occurs when a signal enters <see cref="LeakState.Leaking"/>, and once more when the report of that leak's
    /// investigation arrives after it (then <see cref="LeakDetectedEventArgs.Report"/> and, for a managed leak,
    /// <see cref="LeakDetectedEventArgs.Signature"/> are set; the first call had no report). Handlers run on LeakGuard's
    /// thread; exceptions they throw are logged and swallowed.
    /// </summary>
    event EventHandler<LeakDetectedEventArgs>? LeakDetected;

    /// <summary>Gets a stream of verdicts, one each time a signal's state changes.</summary>
    IObservable<LeakVerdict> VerdictChanges { get; }

    /// <summary>Copies the most recent memory samples, oldest first.</summary>
    /// <param name="maxCount">The largest number of samples to return.</param>
    /// <returns>The samples.</returns>
    IReadOnlyList<MemorySample> GetRecentMemorySamples(int maxCount = 256);

    /// <summary>Copies the most recent garbage-collection samples, oldest first. At collection rates above
    /// <see cref="LeakGuardOptions.MaxGcSamplesPerSecond"/> these are the collections LeakGuard observed (gaps in
    /// <see cref="GcSample.Index"/>), at least one per sampling step while collections run.</summary>
    /// <param name="maxCount">The largest number of samples to return.</param>
    /// <returns>The samples.</returns>
    IReadOnlyList<GcSample> GetRecentGcSamples(int maxCount = 256);

    /// <summary>Gets a signal's downsampled history at the bucket resolution closest to <paramref name="resolution"/>, oldest first.</summary>
    /// <param name="signal">A signal name (see <see cref="LeakSignals"/>) or a watched gauge's name.</param>
    /// <param name="resolution">The wanted bucket width.</param>
    /// <returns>The points; empty for an unknown signal.</returns>
    IReadOnlyList<SignalPoint> GetSeries(string signal, TimeSpan resolution);

    /// <summary>Watches a user gauge (for example a cache's count) as a signal of its own.</summary>
    /// <param name="name">The signal name; letters, digits, '_', '.' and '-'.</param>
    /// <param name="gauge">Read once per sample interval on LeakGuard's thread; exceptions are logged and the reading skipped.</param>
    /// <returns>A handle that stops watching when disposed.</returns>
    IDisposable Watch(string name, Func<long> gauge);

    /// <summary>Records that <paramref name="target"/> should be garbage-collected soon; it is held only weakly.</summary>
    /// <param name="target">The object that should die.</param>
    /// <param name="label">A label shown in reports when the object is retained.</param>
    void ExpectCollected(object target, string label);

    /// <summary>Takes one heap snapshot now (this pauses the application) and returns its summary.</summary>
    /// <param name="cancellationToken">Cancels the wait.</param>
    /// <returns>The snapshot's summary.</returns>
    /// <exception cref="InvalidOperationException">
    /// Snapshots are unavailable (diagnostics IPC disabled), another snapshot or investigation is running, or the
    /// snapshot would not fit in the memory left under the limit (<c>MemoryLimitBytes</c>, else the GC's available
    /// memory), checked from the first call on; the message names the megabytes needed and left.
    /// </exception>
    Task<HeapSnapshotSummary> CaptureHeapSnapshotAsync(CancellationToken cancellationToken = default);

    /// <summary>Runs an investigation now: two snapshots <c>Snapshots:Delay</c> apart, diffed, with retention paths.</summary>
    /// <param name="cancellationToken">Cancels the investigation.</param>
    /// <returns>The report, or <see langword="null"/> when the investigation was skipped (the reason is logged).</returns>
    Task<LeakReport?> InvestigateAsync(CancellationToken cancellationToken = default);

    /// <summary>
    /// Records sampled allocations with their call stacks for <paramref name="duration"/> (no heap snapshot, no pause):
    /// the types allocated most and, for each, the stacks that allocated it most with their share and estimated bytes.
    /// Costs CPU only while it runs (see docs/performance.md#allocation-stacks).
    /// </summary>
    /// <param name="duration">How long to record: more than zero, at most one hour.</param>
    /// <param name="cancellationToken">Cancels the recording.</param>
    /// <returns>The result.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="duration"/> is not positive or longer than an hour.</exception>
    /// <exception cref="InvalidOperationException">The diagnostics IPC channel is disabled, another recording runs, or the recording failed.</exception>
    /// <exception cref="NotSupportedException">The implementation cannot record allocations (the default for other implementations).</exception>
    Task<AllocationRecordingResult> RecordAllocationsAsync(TimeSpan duration, CancellationToken cancellationToken = default) =>
        Task.FromException<AllocationRecordingResult>(new NotSupportedException("This monitor cannot record allocations."));
}
