using LeakGuard.Investigation;

namespace LeakGuard;

/// <summary>
/// Data for the <see cref="ILeakMonitor.LeakDetected"/> event: raised when a signal enters <see cref="LeakState.Leaking"/>
/// with the episode's report if it already exists, and raised again with the report when the investigation that
/// Leaking started publishes it (a handler that wants one call per leak with its signature can wait for a
/// non-<see langword="null"/> <see cref="Report"/>; an investigation that was skipped brings no second call).
/// </summary>
public sealed class LeakDetectedEventArgs : EventArgs
{
    /// <summary>Initializes a new instance of the <see cref="LeakDetectedEventArgs"/> class.</summary>
    /// <param name="verdict">The verdict that entered <see cref="LeakState.Leaking"/>.</param>
    /// <param name="report">The report of the leak's episode, when its investigation has produced one.</param>
    public LeakDetectedEventArgs(LeakVerdict verdict, LeakReport? report)
    {
        Verdict = verdict;
        Report = report;
    }

    /// <summary>Gets the verdict that entered <see cref="LeakState.Leaking"/>.</summary>
    public LeakVerdict Verdict { get; }

    /// <summary>
    /// Gets the report of this leak's episode (an automatic investigation of this signal or of the same memory, begun when
    /// the episode did or later), or <see langword="null"/> when none has arrived yet.
    /// </summary>
    public LeakReport? Report { get; }

    /// <summary>
    /// Gets the leak signature of the report's top growing type (see <see cref="GrowingType.Signature"/>), to group the
    /// same leak across instances and restarts, or <see langword="null"/> when no report names one.
    /// </summary>
    public string? Signature => Report?.GrowingTypes is { Count: > 0 } types ? types[0].Signature : null;

    /// <summary>
    /// Gets where the report's top growing type was mostly allocated while the investigation's window was open — its
    /// top allocation stack's innermost application frame and share, for example
    /// <c>MyApp!MyApp.SessionStore.Add(class System.Guid) (92%)</c> — or <see langword="null"/> when no allocation was sampled.
    /// </summary>
    public string? AllocatedAt => Report?.GrowingTypes is { Count: > 0 } types && LeakReportText.AllocatedAt(types[0]) is { Length: > 0 } site ? site : null;
}
