using System.Text.Json;
using System.Text.RegularExpressions;
using LeakGuard.IntegrationTests.Dashboard;

namespace LeakGuard.IntegrationTests.Prometheus;

/// <summary>The metric names that deploy/ (alert rules and the Grafana dashboard) query.</summary>
internal static partial class DeployedQueries
{
    /// <summary>
    /// Names a healthy, leaking sample does not export yet: restarts need a previous instance, a snapshot
    /// histogram needs a finished snapshot.
    /// </summary>
    public static readonly string[] ExportedOnlyAfterEvents = ["leakguard_process_restarts_total", "leakguard_snapshot_duration_seconds_bucket", "leakguard_snapshot_duration_seconds_count", "leakguard_snapshot_duration_seconds_sum"];

    /// <summary>Attribute names that share the prefix but are labels, not metrics.</summary>
    public static readonly string[] LabelNames = ["leakguard_signal", "leakguard_restart_reason", "leakguard_sample_kind"];

    public static string RulesFile => Path.Combine(RepositoryPaths.Root, "deploy", "prometheus", "leakguard.rules.yml");

    public static string GrafanaFile => Path.Combine(RepositoryPaths.Root, "deploy", "grafana", "leakguard.json");

    /// <summary>Every leakguard_* and dotnet_* name in the rules' expressions and the dashboard's targets.</summary>
    public static IReadOnlyList<string> MetricNames()
    {
        var expressions = new List<string>();
        expressions.AddRange(File.ReadAllLines(RulesFile).Where(l => !l.TrimStart().StartsWith('#')));
        expressions.AddRange(GrafanaExpressions());
        return expressions.SelectMany(e => MetricName().Matches(e).Select(m => m.Value))
            .Except(LabelNames)
            .Distinct().Order().ToArray();
    }

    /// <summary>The PromQL expressions of every panel target and templating query of the Grafana dashboard.</summary>
    public static IReadOnlyList<string> GrafanaExpressions()
    {
        using var document = JsonDocument.Parse(File.ReadAllText(GrafanaFile));
        var result = new List<string>();
        Collect(document.RootElement, result);
        return result;
    }

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

    private static void Collect(JsonElement element, List<string> result)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
                foreach (var property in element.EnumerateObject())
                {
                    if (property.Name is "expr" or "query" && property.Value.ValueKind == JsonValueKind.String)
                    {
                        result.Add(property.Value.GetString()!);
                    }
                    else if (property.Name == "query" && property.Value.ValueKind == JsonValueKind.Object
                        && property.Value.TryGetProperty("query", out var inner) && inner.ValueKind == JsonValueKind.String)
                    {
                        result.Add(inner.GetString()!);
                    }
                    else
                    {
                        Collect(property.Value, result);
                    }
                }

                break;
            case JsonValueKind.Array:
                foreach (var item in element.EnumerateArray())
                {
                    Collect(item, result);
                }

                break;
        }
    }

    [GeneratedRegex(@"\b(?:leakguard|dotnet)_[a-z0-9_]+\b")]
    private static partial Regex MetricName();
}
