using System.Text.Json.Serialization;

namespace LeakGuard.Investigation;

/// <summary>Source-generated JSON metadata for <see cref="LeakReport"/> (camelCase, the shape in DESIGN §5), trimming- and AOT-safe.</summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    WriteIndented = true,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(LeakReport))]
internal sealed partial class LeakReportJsonContext : JsonSerializerContext
{
}
