using Microsoft.Extensions.Logging;

namespace LeakGuard.Sources;

/// <summary>Log events of the sources (event ids 400–449).</summary>
internal static partial class SourcesLog
{
    [LoggerMessage(EventId = 400, Level = LogLevel.Warning, Message = "LeakGuard could not process a GC event; later failures are counted, not logged.")]
    public static partial void GcEventFailed(ILogger logger, Exception exception);

    [LoggerMessage(EventId = 401, Level = LogLevel.Debug, Message = "LeakGuard reads one sample per garbage collection from {Source}.")]
    public static partial void GcSourceActive(ILogger logger, string source);

    [LoggerMessage(EventId = 402, Level = LogLevel.Warning, Message = "LeakGuard could not start its preferred GC source and reads garbage collections from {Source} instead (more garbage per collection).")]
    public static partial void GcSourceFallback(ILogger logger, string source, Exception exception);

    [LoggerMessage(EventId = 403, Level = LogLevel.Warning, Message = "LeakGuard cannot listen to the runtime's GC events: the gc_handles signal is unavailable.")]
    public static partial void GcHandleCountUnavailable(ILogger logger, Exception exception);
}
