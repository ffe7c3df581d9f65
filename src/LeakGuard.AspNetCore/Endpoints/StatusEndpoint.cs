using LeakGuard.AspNetCore.Json;
using LeakGuard.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace LeakGuard.AspNetCore.Endpoints;

/// <summary><c>GET {prefix}/api/status</c>: the verdict of every signal, the limit and the latest report's summary.</summary>
internal static class StatusEndpoint
{
    /// <summary>Answers the request.</summary>
    /// <param name="context">The request.</param>
    /// <param name="state">The mapping's state.</param>
    /// <returns>A task that completes when the answer is written.</returns>
    public static Task Handle(HttpContext context, DashboardState state)
    {
        var monitor = context.RequestServices.GetRequiredService<ILeakMonitor>();
        var options = monitor.Options;
        var verdicts = monitor.Verdicts.Values
            .OrderByDescending(v => v.State)
            .ThenBy(v => v.Signal, StringComparer.Ordinal)
            .Select(VerdictDto.From)
            .ToArray();
        var latest = monitor.LatestReport;
        var now = state.TimeProvider.GetUtcNow();
        var readings = (monitor as LeakMonitor)?.Readings;
        var cooldownEnd = state.Gate.CooldownEnd(monitor.SnapshotCooldownEndsAt, options.Snapshots.Cooldown);

        var body = new StatusResponse
        {
            Now = now,
            Running = monitor.IsRunning,
            Investigating = monitor.IsInvestigating || state.Gate.IsRunning,
            MemoryLimitBytes = monitor.MemoryLimitBytes,
            BindingLimitBytes = readings?.MemoryLimitBytes is >= 0 and var binding ? binding : null,
            BindingLimit = readings?.LimitName,
            Usage = readings?.UsageName,
            Utilization = readings?.Utilization is { } u && double.IsFinite(u) ? u : null,
            SnapshotCooldownEndsAt = cooldownEnd > now ? cooldownEnd : null,
            SnapshotMode = options.Snapshots.Mode,
            SnapshotsUnavailable = SnapshotsUnavailable(monitor),
            SampleIntervalSeconds = options.SampleInterval.TotalSeconds,
            WarmUpSeconds = options.WarmUp.TotalSeconds,
            RefreshIntervalSeconds = state.Options.RefreshInterval.TotalSeconds,
            Verdicts = verdicts,
            LatestReport = latest is null ? null : ReportSummaryDto.From(latest),
        };
        return ApiResponse.JsonAsync(context, StatusCodes.Status200OK, body, DashboardJsonContext.Default.StatusResponse);
    }

    /// <summary>Says why the monitor cannot take heap snapshots, or <see langword="null"/> when it can.</summary>
    /// <param name="monitor">The monitor.</param>
    /// <returns>The reason, naming the setting to change.</returns>
    public static string? SnapshotsUnavailable(ILeakMonitor monitor) =>
        monitor is ISnapshotAvailability availability ? availability.SnapshotsUnavailableReason
        : monitor.Options.Snapshots.Mode == SnapshotMode.Off ? "Heap snapshots are off (LeakGuard:Snapshots:Mode = Off); set it to Manual or OnSuspicion to investigate."
        : null;
}
