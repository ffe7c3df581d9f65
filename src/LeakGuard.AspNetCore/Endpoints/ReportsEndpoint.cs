using LeakGuard.AspNetCore.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace LeakGuard.AspNetCore.Endpoints;

/// <summary><c>GET {prefix}/api/reports</c> (summaries, newest first) and <c>GET {prefix}/api/reports/{id}</c> (one report, or <c>latest</c>).</summary>
internal static class ReportsEndpoint
{
    /// <summary>Answers the list request.</summary>
    /// <param name="context">The request.</param>
    /// <param name="state">The mapping's state.</param>
    /// <returns>A task that completes when the answer is written.</returns>
    public static Task HandleList(HttpContext context, DashboardState state)
    {
        _ = state;
        var monitor = context.RequestServices.GetRequiredService<ILeakMonitor>();
        var reports = monitor.Reports;
        var summaries = new ReportSummaryDto[reports.Count];
        for (var i = 0; i < reports.Count; i++)
        {
            summaries[reports.Count - 1 - i] = ReportSummaryDto.From(reports[i]);
        }

        return ApiResponse.JsonAsync(context, StatusCodes.Status200OK, new ReportListResponse { Reports = summaries }, DashboardJsonContext.Default.ReportListResponse);
    }

    /// <summary>Answers the single-report request.</summary>
    /// <param name="context">The request.</param>
    /// <param name="state">The mapping's state.</param>
    /// <returns>A task that completes when the answer is written.</returns>
    public static Task HandleOne(HttpContext context, DashboardState state)
    {
        _ = state;
        var id = context.Request.RouteValues["id"] as string;
        var latest = string.Equals(id, "latest", StringComparison.OrdinalIgnoreCase);
        if (!latest && !ReportId.IsWellFormed(id))
        {
            return ApiResponse.ErrorAsync(
                context,
                StatusCodes.Status400BadRequest,
                "Route parameter 'id' must be a report id from api/reports (an integer) or 'latest'.",
                "id");
        }

        var monitor = context.RequestServices.GetRequiredService<ILeakMonitor>();
        var report = latest ? monitor.LatestReport : monitor.Reports.LastOrDefault(r => ReportId.Of(r) == id);
        return report is null
            ? ApiResponse.ErrorAsync(context, StatusCodes.Status404NotFound, $"No report with id '{id}'.", "id")
            : ApiResponse.JsonAsync(context, StatusCodes.Status200OK, report, DashboardJsonContext.Default.LeakReport);
    }
}
