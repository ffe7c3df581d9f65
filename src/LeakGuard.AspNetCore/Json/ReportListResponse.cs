namespace LeakGuard.AspNetCore.Json;

/// <summary>The body of <c>GET {prefix}/api/reports</c>.</summary>
internal sealed class ReportListResponse
{
    /// <summary>Gets the reports, newest first.</summary>
    public required IReadOnlyList<ReportSummaryDto> Reports { get; init; }
}
