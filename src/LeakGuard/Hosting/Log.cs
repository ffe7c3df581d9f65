using Microsoft.Extensions.Logging;

namespace LeakGuard.Hosting;

/// <summary>LeakGuard's host-side log events. EventIds 1–99 are stable: dashboards and alerts may match on them.</summary>
internal static partial class Log
{
    [LoggerMessage(EventId = 1, Level = LogLevel.Information, Message = "LeakGuard started: sampling every {SampleInterval}, warm-up {WarmUp}, detection window {Window}, snapshots {SnapshotMode}.")]
    public static partial void Started(ILogger logger, TimeSpan sampleInterval, TimeSpan warmUp, TimeSpan window, SnapshotMode snapshotMode);

    [LoggerMessage(EventId = 2, Level = LogLevel.Information, Message = "LeakGuard is disabled (LeakGuard:Enabled is false); nothing is sampled.")]
    public static partial void Disabled(ILogger logger);

    [LoggerMessage(EventId = 3, Level = LogLevel.Information, Message = "LeakGuard stopped.")]
    public static partial void Stopped(ILogger logger);

    [LoggerMessage(EventId = 10, Level = LogLevel.Warning, Message = "Leak suspected on {Signal}: growing {GrowthRate} (p = {PValue:G3}), {GrowthSinceBaseline} since the window start, time to limit {TimeToLimit}. {Reason}")]
    public static partial void LeakSuspected(ILogger logger, string signal, string growthRate, double pValue, string growthSinceBaseline, string timeToLimit, string reason);

    [LoggerMessage(EventId = 11, Level = LogLevel.Error, Message = "Leak detected on {Signal}: growing {GrowthRate}, time to limit {TimeToLimit}; top growing type {TopGrowingType}, held by {TopRetentionRoot}{AllocatedAt}{KnownPattern}; signature {Signature}. {Reason}")]
    public static partial void LeakDetected(ILogger logger, string signal, string growthRate, string timeToLimit, string topGrowingType, string topRetentionRoot, string allocatedAt, string knownPattern, string signature, string reason);

    [LoggerMessage(EventId = 14, Level = LogLevel.Error, Message = "Leak on {Signal} investigated: top growing type {TopGrowingType}, held by {TopRetentionRoot}{AllocatedAt}{KnownPattern}; signature {Signature}.")]
    public static partial void LeakReportArrived(ILogger logger, string signal, string topGrowingType, string topRetentionRoot, string allocatedAt, string knownPattern, string signature);

    [LoggerMessage(EventId = 12, Level = LogLevel.Information, Message = "{Signal} is no longer suspected of leaking (now {State}). {Reason}")]
    public static partial void LeakCleared(ILogger logger, string signal, LeakState state, string reason);

    [LoggerMessage(EventId = 13, Level = LogLevel.Information, Message = "Asked the runtime for a full garbage collection: {Signal} rises fast enough to reach its limit soon, and only a full collection tells live objects from garbage not yet collected (at most one such request per detection window).")]
    public static partial void FullCollectionRequested(ILogger logger, string signal);

    [LoggerMessage(EventId = 15, Level = LogLevel.Information, Message = "Asked the runtime for a full garbage collection after LeakGuard's own investigation: until one runs, the managed signals count the memory the investigation used, so they skip their readings and hold their verdicts meanwhile.")]
    public static partial void OwnMemoryCollectionRequested(ILogger logger);

    [LoggerMessage(EventId = 20, Level = LogLevel.Warning, Message = "Memory pressure: the process uses {Utilization:P1} of its {Limit} {LimitName} ({Usage} against it; warning threshold {Threshold:P0}); resident {Resident}, managed heap {ManagedHeap}.")]
    public static partial void MemoryPressure(ILogger logger, double utilization, string limit, string limitName, string usage, double threshold, string resident, string managedHeap);

    [LoggerMessage(EventId = 30, Level = LogLevel.Information, Message = "The automatic investigation of {Signal} was skipped (heap snapshot not taken); the investigator logged the reason.")]
    public static partial void InvestigationSkipped(ILogger logger, string signal);

    [LoggerMessage(EventId = 31, Level = LogLevel.Error, Message = "The automatic investigation of {Signal} failed; monitoring goes on.")]
    public static partial void InvestigationFailed(ILogger logger, string signal, Exception exception);

    [LoggerMessage(EventId = 32, Level = LogLevel.Information, Message = "Starting an automatic investigation of {Signal} (two heap snapshots {Delay} apart).")]
    public static partial void InvestigationStarted(ILogger logger, string signal, TimeSpan delay);

    [LoggerMessage(EventId = 40, Level = LogLevel.Critical, Message = "Recycling the application before an OOM kill: memory use has stayed above {Threshold:P0} of the {Limit} limit for {Duration} (now {Utilization:P1}); {Evidence}. Calling IHostApplicationLifetime.StopApplication().")]
    public static partial void Recycling(ILogger logger, double threshold, string limit, string duration, double utilization, string evidence);

    [LoggerMessage(EventId = 43, Level = LogLevel.Critical, Message = "Recycling the application before it runs out of memory: {Signal} is leaking, growing {GrowthRate}, and may reach the {LimitName} ({Limit}) in {Earliest} at the earliest (time to limit {TimeToLimit}; Recycle:TimeToLimitHorizon {Horizon}). Calling IHostApplicationLifetime.StopApplication(); the process exits with code {ExitCode}.")]
    public static partial void RecyclingBeforeLimit(ILogger logger, string signal, string growthRate, string limitName, string limit, string earliest, string timeToLimit, string horizon, int exitCode);

    [LoggerMessage(EventId = 41, Level = LogLevel.Warning, Message = "Recycle is due (memory use {Utilization:P1} of the limit) but there is no IHostApplicationLifetime to stop: the process was started with LeakMonitor.Start.")]
    public static partial void RecycleUnavailable(ILogger logger, double utilization);

    [LoggerMessage(EventId = 42, Level = LogLevel.Warning, Message = "Recycle is off for this process: at its first reading it already uses {Utilization:P1} of the {LimitBytes}-byte memory limit, more than the limit itself, so recycling would stop every instance right after its start. Check LeakGuard:MemoryLimitBytes.")]
    public static partial void RecycleRefused(ILogger logger, double utilization, long limitBytes);

    [LoggerMessage(EventId = 53, Level = LogLevel.Warning, Message = "LeakGuard:Reports:Directory {Directory} is not writable ({Reason}); leak reports will stay in memory only (dashboard, ILeakMonitor.Reports) until it is fixed.")]
    public static partial void ReportsDirectoryUnwritable(ILogger logger, string directory, string reason);

    [LoggerMessage(EventId = 50, Message = "Restart detected: the previous instance (started {PreviousStartedAt:O}, last seen {PreviousLastSeenAt:O}, last memory use {PreviousUtilization:P0}) ended with reason {Reason}.")]
    public static partial void RestartDetected(ILogger logger, LogLevel level, DateTimeOffset previousStartedAt, DateTimeOffset previousLastSeenAt, double previousUtilization, string reason);

    [LoggerMessage(EventId = 51, Level = LogLevel.Warning, Message = "The LeakGuard state file {Path} is corrupt or unreadable ({Reason}); it is replaced and the previous exit is counted as unknown.")]
    public static partial void StateCorrupt(ILogger logger, string path, string reason);

    [LoggerMessage(EventId = 52, Level = LogLevel.Warning, Message = "The LeakGuard state file {Path} could not be written ({Reason}); restart awareness is degraded (reported once).")]
    public static partial void StateWriteFailed(ILogger logger, string path, string reason);

    [LoggerMessage(EventId = 54, Level = LogLevel.Warning, Message = "LeakGuard:StateDirectory {Directory} is in use by another running instance (process {OwnerProcessId}); this instance neither reads nor writes the state there, so it reports no restart reason. Give each instance its own directory.")]
    public static partial void StateDirectoryShared(ILogger logger, string directory, string ownerProcessId);

    [LoggerMessage(EventId = 55, Level = LogLevel.Error, Message = "Leak detected across restarts (restart_cadence): the last {Lifetimes} lifetimes each grew from start until it ended by {Died}, after {Lengths} each, growing {GrowthPerLifetime} per lifetime; a leak restarts this process every ~{Cadence}. Leak signature {Signature}. Lifetimes in {Path}.")]
    public static partial void RestartCadence(ILogger logger, int lifetimes, string died, string lengths, string growthPerLifetime, string cadence, string signature, string path);

    [LoggerMessage(EventId = 56, Level = LogLevel.Warning, Message = "The LeakGuard lifetimes file {Path} is corrupt, oversized or unreadable ({Reason}); it is replaced, and the earlier lifetimes are forgotten (no restart cadence until three more are recorded).")]
    public static partial void LifetimesUnreadable(ILogger logger, string path, string reason);

    [LoggerMessage(EventId = 90, Level = LogLevel.Error, Message = "A LeakGuard sampling step failed; the monitor carries on.")]
    public static partial void LoopFailed(ILogger logger, Exception exception);

    [LoggerMessage(EventId = 91, Level = LogLevel.Warning, Message = "The watched gauge {Name} threw; its reading is skipped (reported once until it recovers).")]
    public static partial void GaugeFailed(ILogger logger, string name, Exception exception);

    [LoggerMessage(EventId = 92, Level = LogLevel.Warning, Message = "A LeakGuard event handler or observer threw; the exception is swallowed.")]
    public static partial void HandlerFailed(ILogger logger, Exception exception);

    [LoggerMessage(EventId = 93, Level = LogLevel.Error, Message = "LeakGuard could not start its sources; monitoring is off for this process.")]
    public static partial void SourcesFailed(ILogger logger, Exception exception);
}
