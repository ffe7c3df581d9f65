using System.Text.Json;
using System.Text.RegularExpressions;
using LeakGuard.IntegrationTests.Dashboard;
using NUnit.Framework;

namespace LeakGuard.IntegrationTests.Prometheus;

/// <summary>
/// End to end with real parts: the leaky web sample (a child process) leaks through its unbounded cache; a real
/// Prometheus scrapes it every second; LeakGuard's suspicion must reach Prometheus, and the dashboard page in a real
/// headless Chromium must chart, judge and explain the leak (SampleEndToEndTests.Page.cs).
/// </summary>
[NonParallelizable]
public sealed partial class SampleEndToEndTests
{
    private const string ServiceName = "leakguard-e2e";
    private const string ServiceVersion = "2.1.0-e2e";
    private static readonly TimeSpan DetectionDeadline = TimeSpan.FromMinutes(4);

    private SampleWebApi? _sample;
    private PrometheusServer? _prometheus;
    private string _stateDirectory = "";
#pragma warning disable NUnit1032 // A Task needs no disposing.
    private Task<IReadOnlyDictionary<string, string>>? _suspicion;
#pragma warning restore NUnit1032

    [OneTimeSetUp]
    public async Task StartAsync()
    {
        _ = PrometheusServer.SkipWhenAbsent();
        _stateDirectory = Directory.CreateTempSubdirectory("leakguard-state-").FullName;
        _sample = await SampleWebApi.StartAsync(new Dictionary<string, string>
        {
            ["LeakGuard__StateDirectory"] = _stateDirectory,
            ["OTEL_SERVICE_NAME"] = ServiceName,
            ["OTEL_RESOURCE_ATTRIBUTES"] = $"service.version={ServiceVersion},service.instance.id=sample-e2e-1",
        });
        _prometheus = await PrometheusServer.StartAsync(_sample.Port);
        var start = await _sample.Client.PostAsync("/leaks/cache/start", null);
        Assert.That(start.IsSuccessStatusCode, Is.True, await start.Content.ReadAsStringAsync());
    }

    [OneTimeTearDown]
    public async Task StopAsync()
    {
        int? sampleExit = null, prometheusExit = null;
        if (_sample is not null)
        {
            await _sample.Client.PostAsync("/leaks/cache/stop", null);
            sampleExit = await _sample.StopAsync();
            await _sample.DisposeAsync();
        }

        if (_prometheus is not null)
        {
            prometheusExit = await _prometheus.StopAsync();
            await _prometheus.DisposeAsync();
        }

        // Skipped before the directory existed (no Prometheus): nothing to delete.
        if (_stateDirectory.Length > 0)
        {
            try
            {
                Directory.Delete(_stateDirectory, recursive: true);
            }
            catch (IOException)
            {
            }
            catch (UnauthorizedAccessException)
            {
            }
        }

        // Both stop on SIGTERM within the deadline, or the run reports it.
        if (_sample is not null)
        {
            Assert.That(sampleExit, Is.Zero, "the sample did not stop cleanly on SIGTERM");
        }

        if (_prometheus is not null)
        {
            Assert.That(prometheusExit, Is.Zero, "Prometheus did not stop cleanly on SIGTERM");
        }
    }

    [Test]
    public async Task Prometheus_reads_the_managed_heap_leak_as_suspected()
    {
        var series = await SuspicionAsync();

        Assert.That(series["job"], Is.EqualTo("leakguard-sample"));
        Assert.That(series["instance"], Is.EqualTo($"127.0.0.1:{_sample!.Port}"));
    }

    [Test]
    public async Task Prometheus_loads_the_alert_rules_and_evaluates_them_over_the_scraped_metrics()
    {
        var rules = await Eventually.ReturnsAsync(
            async () =>
            {
                var loaded = await _prometheus!.RulesAsync();
                return loaded.Count > 0 && loaded.All(r => r.Health == "ok") ? loaded : null;
            },
            TimeSpan.FromSeconds(60),
            () => "the rules never all evaluated healthy:\n" + _prometheus!.Output);

        Assert.That(rules.Select(r => r.Rule), Is.SupersetOf(new[] { "LeakGuardLeakSuspected", "LeakGuardMemoryLimitWithinAnHour", "LeakGuardOomKillRestart", "version:leakguard_replicas_leaking:ratio", "LeakGuardVersionLeaking", "LeakGuardVersionGrowsFasterThanPrevious" }));
    }

    [Test]
    public async Task Fleet_rules_give_the_suspicion_the_service_version_from_target_info()
    {
        await SuspicionAsync();

        // The exporter's series carry no version: it reaches them through target_info, joined on the scrape's job and instance.
        var target = (await _prometheus!.QueryAsync("target_info")).Single().Labels;
        var share = await Eventually.ReturnsAsync(
            async () => (await _prometheus!.QueryAsync("version:leakguard_replicas_leaking:ratio")).Where(s => s.Value == 1).Select(s => s.Labels).FirstOrDefault(),
            TimeSpan.FromSeconds(60),
            () => "version:leakguard_replicas_leaking:ratio never read 1:\n" + _prometheus!.Output);
        var rate = await Eventually.ReturnsAsync(
            async () => (await _prometheus!.QueryAsync("version_signal:leakguard_memory_growth_rate_bytes_per_second:median{leakguard_signal=\"managed_heap\"}")).FirstOrDefault() is { Labels: not null } s ? s.Labels : null,
            TimeSpan.FromSeconds(60),
            () => "no median growth rate of managed_heap was recorded:\n" + _prometheus!.Output);

        Assert.That(target["service_name"], Is.EqualTo(ServiceName));
        Assert.That(target["service_version"], Is.EqualTo(ServiceVersion));
        Assert.That(target["service_instance_id"], Is.EqualTo("sample-e2e-1"));
        Assert.That(target["instance"], Is.EqualTo($"127.0.0.1:{_sample!.Port}"));
        Assert.That(share, Does.ContainKey("job").WithValue("leakguard-sample"));
        Assert.That(share, Does.ContainKey("service_name").WithValue(ServiceName));
        Assert.That(share, Does.ContainKey("service_version").WithValue(ServiceVersion));
        Assert.That(rate, Does.ContainKey("service_version").WithValue(ServiceVersion));
    }

    [Test]
    public async Task Rules_and_grafana_dashboard_query_only_metric_names_the_sample_exports()
    {
        // Wait until the leak is suspected: growth rates and time to limit exist only for growing signals.
        await SuspicionAsync();
        var exposition = await _sample!.Client.GetStringAsync("/metrics");
        var families = Regex.Matches(exposition, @"^# TYPE (\S+) (\S+)$", RegexOptions.Multiline)
            .ToDictionary(m => m.Groups[1].Value, m => m.Groups[2].Value);

        var used = DeployedQueries.MetricNames();
        var missing = used
            .Where(name => !families.ContainsKey(DeployedQueries.FamilyOf(name, families)))
            .Except(DeployedQueries.ExportedOnlyAfterEvents)
            .ToArray();

        Assert.That(used, Is.Not.Empty);
        Assert.That(missing, Is.Empty, "names used in deploy/ that the sample does not export; exported:\n" + string.Join("\n", families.Keys.Order()));
    }

    [Test]
    public async Task Health_answers_json_naming_the_suspected_signal_with_units()
    {
        await SuspicionAsync();
        var check = await Eventually.ReturnsAsync(
            async () =>
            {
                using var response = await _sample!.Client.GetAsync("/health");
                using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
                var leakguard = json.RootElement.GetProperty("checks").GetProperty("leakguard");
                return leakguard.GetProperty("status").GetString() is "Degraded" or "Unhealthy"
                    ? new[] { json.RootElement.GetProperty("status").GetString()!, leakguard.GetProperty("description").GetString()! }
                    : null;
            },
            TimeSpan.FromSeconds(60),
            () => "/health never reported the suspected leak:\n" + _sample!.Output);

        Assert.That(check[0], Is.EqualTo("Degraded").Or.EqualTo("Unhealthy"));
        Assert.That(check[1], Does.Match(@"(managed_heap|process_memory|gen2|native_memory).* [+-]?[0-9.]+ (B|KiB|MiB|GiB)/(min|h)"));
    }

    [Test]
    public async Task Grafana_dashboard_queries_run_against_the_scraped_sample()
    {
        await SuspicionAsync();
        var empty = new List<string>();
        foreach (var expression in DeployedQueries.GrafanaExpressions())
        {
            var result = await _prometheus!.QueryAsync(GrafanaDashboardTests.WithVariables(expression));
            if (result.Count == 0)
            {
                empty.Add(expression);
            }
        }

        // Restarts need a previous instance, snapshot durations a finished snapshot; the rest must have data.
        Assert.That(
            empty.Where(e => !e.Contains("restarts", StringComparison.Ordinal) && !e.Contains("snapshot_duration", StringComparison.Ordinal)),
            Is.Empty,
            "Grafana queries without data on a leaking sample");
    }

    /// <summary>Waits once for Prometheus to read the suspicion; every test that needs it shares the outcome.</summary>
    private Task<IReadOnlyDictionary<string, string>> SuspicionAsync() => _suspicion ??= WaitForSuspicionAsync();

    private async Task<IReadOnlyDictionary<string, string>> WaitForSuspicionAsync()
    {
        const string query = "leakguard_leak_suspected{leakguard_signal=\"managed_heap\"}";
        return await Eventually.ReturnsAsync(
            async () => (await _prometheus!.QueryAsync(query)).Where(s => s.Value == 1).Select(s => s.Labels).FirstOrDefault(),
            DetectionDeadline,
            () => $"{query} never read 1 in Prometheus. (Every verdict at 'No evaluation yet' means the monitor gets no samples: "
                + $"the memory probe and GC listener are not wired into MonitorComponents.) LeakGuard's own status:\n{Status()}\nSample output (tail):\n{Tail(_sample!.Output)}",
            TimeSpan.FromSeconds(1));
    }

    private string Status()
    {
        try
        {
            var json = _sample!.Client.GetStringAsync("/leakguard/api/status").GetAwaiter().GetResult();
            using var document = JsonDocument.Parse(json);
            return string.Join("\n", document.RootElement.GetProperty("verdicts").EnumerateArray()
                .Select(v => $"  {v.GetProperty("signal").GetString()}: {v.GetProperty("state").GetString()} {v.GetProperty("reason").GetString()}"));
        }
        catch (Exception e) when (e is HttpRequestException or JsonException or TaskCanceledException)
        {
            return "(status unavailable: " + e.Message + ")";
        }
    }

    private static string Tail(string text) => text.Length <= 4000 ? text : text[^4000..];
}
