using System.Text.Json;
using LeakGuard.TestSupport;

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

    /// <summary>Gets the types of the report's <c>largestTypes</c> (listed when nothing grew beyond noise).</summary>
    public IReadOnlyList<string> LargestTypes { get; init; } = [];

    /// <summary>Gets how many generated assemblies were loaded between the snapshots (<c>loadedAssemblies.dynamicBetweenSnapshots</c>), 0 without the section.</summary>
    public long GeneratedBetweenSnapshots { get; init; }

    /// <summary>Gets the names of the newest generated (dynamic) assemblies the report lists, newest first.</summary>
    public IReadOnlyList<string> NewestGenerated { get; init; } = [];

    /// <summary>Gets the id of the known pattern the newest generated assemblies matched, or <see langword="null"/>.</summary>
    public string? GeneratedPattern { get; init; }

    /// <summary>Gets why the report has no allocation stacks (its <c>allocations.missing</c>), or <see langword="null"/>.</summary>
    public string? AllocationsMissing { get; init; }

    /// <summary>Gets the report's <c>allocations</c> section as JSON (how the stacks were recorded and ranked), empty without it.</summary>
    public string Allocations { get; init; } = string.Empty;

    public static ZooReport Read(string path)
    {
        using var doc = JsonDocument.Parse(File.ReadAllText(path));
        var root = doc.RootElement;
        return new ZooReport
        {
            Path = path,
            Signal = Property(root, "signal")?.GetString() ?? string.Empty,
            GeneratedBetweenSnapshots = Property(root, "loadedAssemblies") is { } between ? Property(between, "dynamicBetweenSnapshots")?.GetInt64() ?? 0 : 0,
            NewestGenerated = Property(root, "loadedAssemblies") is { } newest
                ? Array(newest, "newest").Where(a => Property(a, "dynamic")?.GetBoolean() == true).Select(a => Property(a, "name")?.GetString() ?? string.Empty).ToList()
                : [],
            GeneratedPattern = Property(root, "loadedAssemblies") is { } loaded && Property(loaded, "pattern") is { } pattern
                ? Property(pattern, "id")?.GetString()
                : null,
            LargestTypes = Array(root, "largestTypes").Select(t => Property(t, "type")?.GetString() ?? string.Empty).ToList(),
            AllocationsMissing = Property(root, "allocations") is { } allocations ? Property(allocations, "missing")?.GetString() : null,
            Allocations = Property(root, "allocations")?.GetRawText() ?? string.Empty,
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
                AllocationSiteFigures = Array(t, "allocationSites")
                    .Select(site => string.Join(", ", site.EnumerateObject().Where(p => p.Name != "frames").Select(p => $"{p.Name}={p.Value.GetRawText()}")))
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
    /// the diagnostics client): growing types, roots, path steps, allocation frames and the largest types. Issue 17: a
    /// report never shows them. The zoo's own types (<c>LeakGuard.LeakZoo.*</c>) are the application's. An allocation
    /// frame is judged by its method, not its arguments, and the marker a run of LeakGuard's frames is folded into is no
    /// name: the zoo's verdict printer runs on LeakGuard's thread (<c>VerdictPrinter.OnNext(LeakGuard.LeakVerdict)</c>
    /// under <c>[LeakGuard]</c>), and its allocations are the application's (one zoo run in seven listed one).
    /// </summary>
    public IReadOnlyList<string> OwnNames() =>
        GrowingTypes
            .SelectMany(t => t.AllocationSites.SelectMany(frames => frames)
                .Where(frame => frame != "[LeakGuard]")
                .Select(frame => frame.IndexOf('(', StringComparison.Ordinal) is > 0 and var open ? frame[..open] : frame)
                .Concat(t.RetentionPaths.SelectMany(p => p.Path.Prepend(p.Root)))
                .Prepend(t.Type))
            .Concat(LargestTypes)
            .Where(name => ForeignNames.IsLeakGuards(name, "LeakGuard.LeakZoo"))
            .Distinct(StringComparer.Ordinal)
            .ToList();

    /// <summary>
    /// Reads every report file a zoo run announced (each <c>LEAKGUARD-REPORT</c> line with a path; a run may write several,
    /// managed and native) and lists those that name anything of LeakGuard or its dependencies, with the names.
    /// </summary>
    /// <param name="lines">The run's output lines.</param>
    /// <returns>One entry per offending file, empty when none names anything of LeakGuard's.</returns>
    public static IReadOnlyList<string> OwnNamesInEveryReport(IEnumerable<ZooLine> lines) =>
        lines.Where(l => l.Tag == "LEAKGUARD-REPORT" && l.String("path") is { } path && File.Exists(path))
            .Select(l => Read(l.String("path")!))
            .Select(report => (report, own: report.OwnNames()))
            .Where(r => r.own.Count > 0)
            .Select(r => $"{System.IO.Path.GetFileName(r.report.Path)}: {string.Join(", ", r.own)}")
            .ToList();

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
