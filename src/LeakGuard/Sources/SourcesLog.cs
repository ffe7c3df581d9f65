using Microsoft.Extensions.Logging;

namespace LeakGuard.Sources;

/// <summary>Log events of the sources (event ids 400–449).</summary>
internal static partial class SourcesLog
{
    [LoggerMessage(EventId = 400, Level = LogLevel.Warning, Message = "LeakGuard could not process a GC event; later failures are counted, not logged.")]
    public static partial void GcEventFailed(ILogger logger, Exception exception);
}
