using LeakGuard.Investigation;

namespace LeakGuard.AspNetCore.Json;

/// <summary>One line of <c>GET {prefix}/api/reports</c>.</summary>
internal sealed class ReportSummaryDto
{
    /// <summary>Gets the report's id (the second snapshot's time in Unix milliseconds), used in <c>api/reports/{id}</c>.</summary>
    public required string Id { get; init; }

    /// <summary>Gets the signal that triggered the investigation.</summary>
    public required string Signal { get; init; }

    /// <summary>Gets when the growth was detected.</summary>
    public DateTimeOffset DetectedAt { get; init; }

    /// <summary>Gets when the second heap snapshot was taken (the report's time).</summary>
    public DateTimeOffset SnapshotAfter { get; init; }

    /// <summary>Gets the growth rate in bytes per second.</summary>
    public double? GrowthBytesPerSecond { get; init; }

    /// <summary>Gets the projected seconds to the limit.</summary>
    public double? TimeToLimitSeconds { get; init; }

    /// <summary>Gets the number of growing types.</summary>
    public int GrowingTypeCount { get; init; }

    /// <summary>Gets the type that grew the most, or <see langword="null"/>.</summary>
    public string? TopType { get; init; }

    /// <summary>Gets the byte growth of the top type.</summary>
    public long TopTypeBytesDelta { get; init; }

    /// <summary>Summarises a report.</summary>
    /// <param name="report">The report.</param>
    /// <returns>The summary.</returns>
    public static ReportSummaryDto From(LeakReport report)
    {
        var top = report.GrowingTypes.Count > 0 ? report.GrowingTypes[0] : null;
        return new ReportSummaryDto
        {
            Id = ReportId.Of(report),
            Signal = report.Signal,
            DetectedAt = report.DetectedAt,
            SnapshotAfter = report.Snapshots.After,
            GrowthBytesPerSecond = VerdictDto.Finite(report.GrowthBytesPerSecond),
            TimeToLimitSeconds = report.TimeToLimitSeconds is { } t ? VerdictDto.Finite(t) : null,
            GrowingTypeCount = report.GrowingTypes.Count,
            TopType = top?.Type,
            TopTypeBytesDelta = top?.BytesDelta ?? 0,
        };
    }
}
