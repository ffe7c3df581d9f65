using System.Text.Json.Serialization;
using LeakGuard.Investigation;

namespace LeakGuard.AspNetCore.Json;

/// <summary>Source-generated JSON for the dashboard API: no reflection, trimming- and AOT-safe.</summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    UseStringEnumConverter = true,
    NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals)]
[JsonSerializable(typeof(StatusResponse))]
[JsonSerializable(typeof(SeriesResponse))]
[JsonSerializable(typeof(ReportListResponse))]
[JsonSerializable(typeof(LeakReport))]
[JsonSerializable(typeof(InvestigationResponse))]
[JsonSerializable(typeof(ErrorResponse))]
internal sealed partial class DashboardJsonContext : JsonSerializerContext;
