using Microsoft.Extensions.Logging;

namespace LeakGuard.Retention;

/// <summary>The expected-collection watch's log events. EventIds 200–249 are stable.</summary>
internal static partial class RetentionLog
{
    [LoggerMessage(EventId = 200, Level = LogLevel.Warning, Message = "{Retained} objects expected to be collected are still alive after their grace period and a full GC (threshold {Threshold}): {Retainers}.")]
    public static partial void ThresholdReached(ILogger logger, int retained, int threshold, string retainers);

    [LoggerMessage(EventId = 201, Level = LogLevel.Information, Message = "Investigating the retained objects: one heap snapshot for their retention paths.")]
    public static partial void Investigating(ILogger logger);

    [LoggerMessage(EventId = 202, Level = LogLevel.Information, Message = "Retained objects are not investigated: heap snapshots need LeakGuard:Snapshots:Mode = OnSuspicion (it is {Mode}).")]
    public static partial void NotInvestigated(ILogger logger, SnapshotMode mode);

    [LoggerMessage(EventId = 203, Level = LogLevel.Warning, Message = "The expected-collection watch is full ({Capacity} live objects, LeakGuard:Retention:MaxWatchedObjects); {Dropped} registrations were dropped so far.")]
    public static partial void WatchFull(ILogger logger, int capacity, long dropped);

    [LoggerMessage(EventId = 204, Level = LogLevel.Error, Message = "The investigation of retained objects failed.")]
    public static partial void InvestigationFailed(ILogger logger, Exception exception);

    [LoggerMessage(EventId = 205, Level = LogLevel.Warning, Message = "Retained objects: {Type} ×{Count} (labels: {Labels}) held by {Root} via {Path}.")]
    public static partial void RetainedType(ILogger logger, string type, long count, string labels, string root, string path);
}
