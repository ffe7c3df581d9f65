using System.Text.Json;
using System.Text.RegularExpressions;
using LeakGuard.IntegrationTests.Dashboard;

namespace LeakGuard.IntegrationTests.Prometheus;

/// <summary>The metric names that deploy/ (alert rules and the Grafana dashboard) query.</summary>
internal static partial class DeployedQueries
{
    /// <summary>
    /// Names a healthy, leaking sample does not export yet: restarts need a previous instance, a snapshot
    /// histogram needs a finished snapshot, the detection counter a signal that reached Leaking (the tests wait
    /// only for Suspected).
    /// </summary>
    public static readonly string[] ExportedOnlyAfterEvents = ["leakguard_process_restarts_total", "leakguard_leak_detections_total", "leakguard_snapshot_duration_seconds_bucket", "leakguard_snapshot_duration_seconds_count", "leakguard_snapshot_duration_seconds_sum"];

    /// <summary>Attribute names that share the prefix but are labels, not metrics.</summary>
    public static readonly string[] LabelNames = ["leakguard_signal", "leakguard_restart_reason", "leakguard_sample_kind"];

    public static string RulesFile => Path.Combine(RepositoryPaths.Root, "deploy", "prometheus", "leakguard.rules.yml");

    public static string GrafanaFile => Path.Combine(RepositoryPaths.Root, "deploy", "grafana", "leakguard.json");

    /// <summary>
    /// Every leakguard_* and dotnet_* name and target_info (the OpenTelemetry resource, which the fleet rules join on)
    /// in the rules' expressions and the dashboard's targets, without the names of recorded series
    /// (level:metric:operations), which the rules make rather than the sample.
    /// </summary>
    public static IReadOnlyList<string> MetricNames()
    {
        var expressions = new List<string>();
        expressions.AddRange(File.ReadAllLines(RulesFile).Where(l => !l.TrimStart().StartsWith('#')));
        expressions.AddRange(GrafanaExpressions());
        return expressions.SelectMany(e => MetricName().Matches(e).Select(m => m.Value))
            .Except(LabelNames)
            .Distinct().Order().ToArray();
    }

    /// <summary>The PromQL of every panel target and of the "query" template variables (annotations may legitimately be empty).</summary>
    public static IReadOnlyList<string> GrafanaExpressions()
    {
        using var document = JsonDocument.Parse(File.ReadAllText(GrafanaFile));
        var root = document.RootElement;
        var panelQueries = root.GetProperty("panels").EnumerateArray()
            .SelectMany(p => p.GetProperty("targets").EnumerateArray())
            .Select(t => t.GetProperty("expr").GetString()!);
        var variableQueries = root.GetProperty("templating").GetProperty("list").EnumerateArray()
            .Where(v => v.GetProperty("type").GetString() == "query")
            .Select(v => v.GetProperty("query").GetProperty("query").GetString()!);
        return [.. panelQueries, .. variableQueries];
    }

    /// <summary>The series the rules record (<c>record:</c>).</summary>
    public static IReadOnlyList<string> RecordedNames() =>
        File.ReadAllLines(RulesFile).Select(l => RecordLine().Match(l)).Where(m => m.Success).Select(m => m.Groups[1].Value).ToArray();

    /// <summary>The recorded series (names with a colon) the dashboard's queries read.</summary>
    public static IReadOnlyList<string> RecordedNamesInGrafana() =>
        GrafanaExpressions().SelectMany(e => RecordedName().Matches(e).Select(m => m.Value)).Distinct().Order().ToArray();

    /// <summary>Maps a histogram's series name (…_bucket, …_sum, …_count) to its family name.</summary>
    public static string FamilyOf(string name, IReadOnlyDictionary<string, string> families)
    {
        foreach (var suffix in new[] { "_bucket", "_sum", "_count" })
        {
            if (name.EndsWith(suffix, StringComparison.Ordinal) && families.TryGetValue(name[..^suffix.Length], out var type) && type == "histogram")
            {
                return name[..^suffix.Length];
            }
        }

        return name;
    }

    [GeneratedRegex(@"(?<![:\w])(?:(?:leakguard|dotnet)_[a-z0-9_]+|target_info)\b(?!:)")]
    private static partial Regex MetricName();

    [GeneratedRegex(@"(?<![\w:])[a-z_]+:[a-z0-9_:]*[a-z0-9_]")]
    private static partial Regex RecordedName();

    [GeneratedRegex(@"^\s*- record: (\S+)\s*$")]
    private static partial Regex RecordLine();
}
