namespace LeakGuard.Hosting;

/// <summary>
/// Says whether this monitor can take heap snapshots at all, so the dashboard refuses "Investigate now" with the
/// reason and its status shows it, instead of promising an investigation that cannot run.
/// </summary>
internal interface ISnapshotAvailability
{
    /// <summary>Gets why snapshots cannot be taken (LeakGuard disabled, snapshots off, diagnostics IPC disabled), or <see langword="null"/>.</summary>
    string? SnapshotsUnavailableReason { get; }
}
