using Microsoft.Extensions.Logging;

namespace LeakGuard.Investigation;

/// <summary>The investigation's log messages (EventIds 100–199, stable).</summary>
internal static partial class InvestigationLog
{
    [LoggerMessage(EventId = 100, Level = LogLevel.Information, Message = "Taking a heap snapshot of a {Heap} heap (garbage included until the snapshot's own collection): at most about {EstimatedObjects} live objects at {BytesPerObject:0} bytes each ({Basis}), so a {BufferMegabytes} MiB session buffer; the application pauses for the heap walk.")]
    public static partial void SnapshotStarting(ILogger logger, string heap, long estimatedObjects, double bytesPerObject, string basis, int bufferMegabytes);

    [LoggerMessage(EventId = 101, Level = LogLevel.Information, Message = "Heap snapshot taken: {ObjectCount} live objects, {EdgeCount} references in {DurationMs:0} ms (pause {PauseMs:0} ms).")]
    public static partial void SnapshotTaken(ILogger logger, int objectCount, int edgeCount, double durationMs, double pauseMs);

    [LoggerMessage(EventId = 102, Level = LogLevel.Warning, Message = "Heap snapshot incomplete ({Reason}); retrying once with a {BufferMegabytes} MB buffer.")]
    public static partial void SnapshotRetrying(ILogger logger, string reason, int bufferMegabytes);

    [LoggerMessage(EventId = 103, Level = LogLevel.Warning, Message = "Heap snapshot failed: {Reason}")]
    public static partial void SnapshotFailed(ILogger logger, string reason);

    [LoggerMessage(EventId = 104, Level = LogLevel.Warning, Message = "Heap snapshots are unavailable: {Reason}. Leak monitoring continues without investigations; the dashboard says so and refuses \"Investigate now\".")]
    public static partial void SnapshotsUnavailable(ILogger logger, string reason);

    [LoggerMessage(EventId = 105, Level = LogLevel.Information, Message = "Investigation skipped: {Reason}")]
    public static partial void InvestigationSkipped(ILogger logger, string reason);

    [LoggerMessage(EventId = 106, Level = LogLevel.Information, Message = "Investigating {Signal}: first snapshot taken, the second follows in up to {Delay}.")]
    public static partial void InvestigationWaiting(ILogger logger, string signal, TimeSpan delay);

    [LoggerMessage(EventId = 107, Level = LogLevel.Warning, Message = "Leak report: {TopType} grew by {CountDelta} instances ({BytesDelta} bytes), held by {Root}{Path}.{AllocatedAt}{Pattern} Signature {Signature}.")]
    public static partial void ReportProduced(ILogger logger, string topType, long countDelta, long bytesDelta, string root, string path, string allocatedAt, string pattern, string signature);

    [LoggerMessage(EventId = 108, Level = LogLevel.Information, Message = "Investigation found nothing that grew beyond noise between the two snapshots (all growing types together: +{GrowthBytes}, under {NoiseBytes}); the largest types now: {LargestTypes}.")]
    public static partial void NothingGrew(ILogger logger, string growthBytes, string noiseBytes, string largestTypes);

    [LoggerMessage(EventId = 109, Level = LogLevel.Warning, Message = "Writing the leak report to {Directory} failed ({Reason}); the report stays in memory for the dashboard and nothing half-written is left.")]
    public static partial void ReportWriteFailed(ILogger logger, string directory, string reason);

    [LoggerMessage(EventId = 110, Level = LogLevel.Information, Message = "Leak report written to {Path}.")]
    public static partial void ReportWritten(ILogger logger, string path);

    [LoggerMessage(EventId = 111, Level = LogLevel.Error, Message = "A ReportProduced handler threw; the exception is ignored.")]
    public static partial void ReportHandlerFailed(ILogger logger, Exception exception);

    [LoggerMessage(EventId = 112, Level = LogLevel.Error, Message = "The investigation failed unexpectedly; monitoring continues.")]
    public static partial void InvestigationFailed(ILogger logger, Exception exception);

    [LoggerMessage(EventId = 113, Level = LogLevel.Debug, Message = "Investigation skipped: heap snapshots are unavailable (diagnostics IPC disabled).")]
    public static partial void SkippedUnavailable(ILogger logger);

    [LoggerMessage(EventId = 114, Level = LogLevel.Information, Message = "The report has no allocation stacks: {Reason}")]
    public static partial void AllocationsMissing(ILogger logger, string reason);

    [LoggerMessage(EventId = 115, Level = LogLevel.Warning, Message = "Native evidence of the {Signal} investigation over {Seconds:0} s: {Finding}.")]
    public static partial void NativeEvidence(ILogger logger, string signal, double seconds, string finding);
}
