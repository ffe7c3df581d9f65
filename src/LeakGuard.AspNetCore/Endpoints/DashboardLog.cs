using System.Net;
using Microsoft.Extensions.Logging;

namespace LeakGuard.AspNetCore.Endpoints;

/// <summary>The dashboard's log events (EventIds 300–349).</summary>
internal static partial class DashboardLog
{
    [LoggerMessage(EventId = 300, Level = LogLevel.Information, Message = "Investigation requested from the LeakGuard dashboard by {Client}.")]
    public static partial void InvestigationRequested(ILogger logger, IPAddress? client);

    [LoggerMessage(EventId = 301, Level = LogLevel.Information, Message = "Investigation requested from the LeakGuard dashboard finished; report produced: {Produced}.")]
    public static partial void InvestigationFinished(ILogger logger, bool produced);

    [LoggerMessage(EventId = 302, Level = LogLevel.Warning, Message = "Investigation requested from the LeakGuard dashboard failed.")]
    public static partial void InvestigationFailed(ILogger logger, Exception exception);

    [LoggerMessage(EventId = 303, Level = LogLevel.Debug, Message = "LeakGuard dashboard refused client {Client}: {Reason}")]
    public static partial void ClientRefused(ILogger logger, IPAddress? client, string reason);
}
