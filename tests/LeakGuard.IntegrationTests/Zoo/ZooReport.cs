using System.Text.Json;

namespace LeakGuard.IntegrationTests.Zoo;

/// <summary>
/// A leak report file as LeakGuard wrote it (README "How to read a report"), read as plain JSON so the
/// test checks the file format users see, not the library's own deserialiser.
/// </summary>
internal sealed class ZooReport
{
    public required string Path { get; init; }

    public required string Signal { get; init; }

    public required IReadOnlyList<ZooGrowingType> GrowingTypes { get; init; }

    public ZooGrowingType? Top => GrowingTypes.Count > 0 ? GrowingTypes[0] : null;

    /// <summary>Gets the id of the known pattern the newest generated assemblies matched, or <see langword="null"/>.</summary>
    public string? GeneratedPattern { get; init; }

    /// <summary>Gets why the report has no allocation stacks (its <c>allocations.missing</c>), or <see langword="null"/>.</summary>
    public string? AllocationsMissing { get; init; }

    public static ZooReport Read(string path)
    {
        using var doc = JsonDocument.Parse(File.ReadAllText(path));
        var root = doc.RootElement;
        return new ZooReport
        {
            Path = path,
            Signal = Property(root, "signal")?.GetString() ?? string.Empty,
            GeneratedPattern = Property(root, "loadedAssemblies") is { } loaded && Property(loaded, "pattern") is { } pattern
                ? Property(pattern, "id")?.GetString()
                : null,
            AllocationsMissing = Property(root, "allocations") is { } allocations ? Property(allocations, "missing")?.GetString() : null,
            GrowingTypes = Array(root, "growingTypes").Select(t => new ZooGrowingType
            {
                Type = Property(t, "type")?.GetString() ?? string.Empty,
                CountDelta = Property(t, "countDelta")?.GetInt64() ?? 0,
                BytesDelta = Property(t, "bytesDelta")?.GetInt64() ?? 0,
                PatternId = Property(t, "pattern") is { } pattern ? Property(pattern, "id")?.GetString() : null,
                PatternFix = Property(t, "pattern") is { } withFix ? Property(withFix, "fix")?.GetString() : null,
                AllocationSites = Array(t, "allocationSites")
                    .Select(site => (IReadOnlyList<string>)Array(site, "frames").Select(f => f.GetString() ?? string.Empty).ToList())
                    .ToList(),
                RetentionPaths = Array(t, "retentionPaths").Select(p => new ZooRetentionPath
                {
                    Root = Property(p, "root")?.GetString() ?? string.Empty,
                    Share = Property(p, "share")?.GetDouble() ?? 0,
                    Path = Array(p, "path").Select(e => e.GetString() ?? string.Empty).ToList(),
                }).ToList(),
            }).ToList(),
        };
    }

    /// <summary>
    /// Gets every name in the report that comes from LeakGuard itself or the diagnostics libraries it uses (TraceEvent,
    /// the diagnostics client): growing types, roots and path steps. Issue 17: a report never shows them. The zoo's own
    /// types (<c>LeakGuard.LeakZoo.*</c>) are the application's.
    /// </summary>
    public IReadOnlyList<string> OwnNames() =>
        GrowingTypes.SelectMany(t => new[] { t.Type }.Concat(t.RetentionPaths.SelectMany(p => p.Path.Prepend(p.Root))))
            .Where(IsOwnName).Distinct(StringComparer.Ordinal).ToList();

    private static bool IsOwnName(string name) =>
        (name.Contains("LeakGuard.", StringComparison.Ordinal) && !name.Contains("LeakGuard.LeakZoo.", StringComparison.Ordinal))
        || name.Contains("Microsoft.Diagnostics.", StringComparison.Ordinal)
        || name.Contains("TraceEvent", StringComparison.Ordinal);

    private static JsonElement? Property(JsonElement element, string name)
    {
        foreach (var property in element.EnumerateObject())
        {
            if (string.Equals(property.Name, name, StringComparison.OrdinalIgnoreCase) && property.Value.ValueKind != JsonValueKind.Null)
            {
                return property.Value;
            }
        }

        return null;
    }

    private static IEnumerable<JsonElement> Array(JsonElement element, string name) =>
        Property(element, name) is { ValueKind: JsonValueKind.Array } array ? array.EnumerateArray().ToList() : [];
}
