namespace LeakGuard;

/// <summary>When LeakGuard takes heap snapshots.</summary>
public enum SnapshotMode
{
    /// <summary>Never.</summary>
    Off = 0,

    /// <summary>Automatically on the first managed-memory suspicion, and on request.</summary>
    OnSuspicion = 1,

    /// <summary>Only when requested through <see cref="ILeakMonitor"/> or the dashboard.</summary>
    Manual = 2,
}
