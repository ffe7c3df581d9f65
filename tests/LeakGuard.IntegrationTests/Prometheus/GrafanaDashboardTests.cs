using System.Diagnostics;
using System.Text;
using System.Text.Json;
using LeakGuard.IntegrationTests.Hygiene;
using NUnit.Framework;

namespace LeakGuard.IntegrationTests.Prometheus;

/// <summary>deploy/grafana/leakguard.json: a well-formed dashboard whose every query is valid PromQL.</summary>
public sealed class GrafanaDashboardTests
{
    [Test]
    public void Grafana_dashboard_is_well_formed()
    {
        using var document = JsonDocument.Parse(File.ReadAllText(DeployedQueries.GrafanaFile));
        var root = document.RootElement;
        var panels = root.GetProperty("panels").EnumerateArray().ToArray();
        var ids = panels.Select(p => p.GetProperty("id").GetInt32()).ToArray();

        Assert.That(root.GetProperty("uid").GetString(), Is.EqualTo("leakguard"));
        Assert.That(panels, Has.Length.GreaterThanOrEqualTo(8));
        Assert.That(ids, Is.Unique);
        Assert.That(panels, Has.All.Matches<JsonElement>(p => p.GetProperty("targets").GetArrayLength() > 0));
        Assert.That(DeployedQueries.MetricNames(), Does.Contain("leakguard_leak_suspected"));
    }

    [Test]
    public void Grafana_dashboard_reads_only_recorded_series_that_the_rules_record()
    {
        var recorded = DeployedQueries.RecordedNames();
        var read = DeployedQueries.RecordedNamesInGrafana();

        Assert.That(recorded, Does.Contain("version:leakguard_replicas_leaking:ratio"));
        Assert.That(read, Is.Not.Empty);
        Assert.That(read, Is.SubsetOf(recorded));
    }

    [Test]
    public async Task Grafana_dashboard_queries_are_valid_promql()
    {
        var promtool = ExternalTool.Require("promtool", "prometheus");

        // promtool parses the expressions of rules: wrap each query in a recording rule.
        var rules = new StringBuilder("groups:\n  - name: grafana\n    rules:\n");
        var expressions = DeployedQueries.GrafanaExpressions();
        for (var i = 0; i < expressions.Count; i++)
        {
            rules.Append("      - record: grafana_query_").Append(i).Append('\n')
                 .Append("        expr: '").Append(WithVariables(expressions[i]).Replace("'", "''", StringComparison.Ordinal)).Append("'\n");
        }

        var file = Path.Combine(Path.GetTempPath(), $"leakguard-grafana-{Environment.ProcessId}.rules.yml");
        await File.WriteAllTextAsync(file, rules.ToString());
        try
        {
            using var process = Process.Start(new ProcessStartInfo(promtool, ["check", "rules", file]) { RedirectStandardOutput = true, RedirectStandardError = true })!;
            var output = await process.StandardOutput.ReadToEndAsync() + await process.StandardError.ReadToEndAsync();
            await process.WaitForExitAsync();

            Assert.That(process.ExitCode, Is.Zero, output);
            Assert.That(output, Does.Contain($"SUCCESS: {expressions.Count} rules found"));
        }
        finally
        {
            File.Delete(file);
        }
    }

    /// <summary>
    /// Turns a Grafana query into PromQL: variables become what Grafana sends for "All" (a match-anything regex),
    /// and a templating <c>label_values(selector, label)</c> becomes its selector.
    /// </summary>
    internal static string WithVariables(string expression)
    {
        if (expression.StartsWith("label_values(", StringComparison.Ordinal))
        {
            expression = expression["label_values(".Length..expression.LastIndexOf(',')];
        }

        return expression.Replace("$job", ".*", StringComparison.Ordinal)
            .Replace("$instance", ".*", StringComparison.Ordinal)
            .Replace("$version", ".*", StringComparison.Ordinal);
    }
}
