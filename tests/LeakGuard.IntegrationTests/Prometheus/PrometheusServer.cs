using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;
using LeakGuard.IntegrationTests.Dashboard;
using LeakGuard.IntegrationTests.Hygiene;
using NUnit.Framework;

namespace LeakGuard.IntegrationTests.Prometheus;

/// <summary>
/// Debian's Prometheus server on 127.0.0.1 and a free port, with its own configuration and storage in a temporary
/// folder, scraping one target every second and loading LeakGuard's alert rules.
/// </summary>
internal sealed class PrometheusServer : IAsyncDisposable
{
    private readonly ChildProcess _process;
    private readonly string _directory;

    private PrometheusServer(ChildProcess process, string directory, int port)
    {
        _process = process;
        _directory = directory;
        Client = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}"), Timeout = TimeSpan.FromSeconds(30) };
    }

    public HttpClient Client { get; }

    public string Output => _process.Output;

    public static string SkipWhenAbsent() => ExternalTool.Require("prometheus", "prometheus");

    public static async Task<PrometheusServer> StartAsync(int targetPort)
    {
        var executable = SkipWhenAbsent();
        var directory = Directory.CreateTempSubdirectory("leakguard-prometheus-").FullName;
        var rules = Path.Combine(RepositoryPaths.Root, "deploy", "prometheus", "leakguard.rules.yml");
        var config = Path.Combine(directory, "prometheus.yml");
        await File.WriteAllTextAsync(config, string.Create(CultureInfo.InvariantCulture, $"""
            global:
              scrape_interval: 1s
              evaluation_interval: 1s
            rule_files:
              - {rules}
            scrape_configs:
              - job_name: leakguard-sample
                scrape_interval: 1s
                scrape_timeout: 1s
                static_configs:
                  - targets: ['127.0.0.1:{targetPort}']
            """));
        var port = FreePort.Next();
        var process = ChildProcess.Start(
            "prometheus",
            executable,
            [
                $"--config.file={config}",
                $"--storage.tsdb.path={Path.Combine(directory, "data")}",
                $"--web.listen-address=127.0.0.1:{port}",
                "--log.level=warn",
            ],
            directory);
        var server = new PrometheusServer(process, directory, port);
        await Eventually.ReturnsAsync(
            async () => process.HasExited ? throw new AssertionException("Prometheus exited:\n" + process.Output)
                : (await server.Client.GetAsync("/-/ready")).IsSuccessStatusCode ? "ready" : null,
            TimeSpan.FromSeconds(60),
            () => "Prometheus never became ready:\n" + process.Output);
        return server;
    }

    /// <summary>Runs an instant query and returns the value of every series, keyed by its labels.</summary>
    public async Task<IReadOnlyList<(IReadOnlyDictionary<string, string> Labels, double Value)>> QueryAsync(string promql)
    {
        using var json = JsonDocument.Parse(await Client.GetStringAsync("/api/v1/query?query=" + Uri.EscapeDataString(promql)));
        var result = new List<(IReadOnlyDictionary<string, string>, double)>();
        foreach (var series in json.RootElement.GetProperty("data").GetProperty("result").EnumerateArray())
        {
            var labels = series.GetProperty("metric").EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetString() ?? "");
            var value = double.Parse(series.GetProperty("value")[1].GetString()!, CultureInfo.InvariantCulture);
            result.Add((labels, value));
        }

        return result;
    }

    /// <summary>Returns the names of the rule groups Prometheus loaded and their rules' health.</summary>
    public async Task<IReadOnlyList<(string Rule, string Health)>> RulesAsync()
    {
        var json = await Client.GetFromJsonAsync<JsonElement>("/api/v1/rules");
        return json.GetProperty("data").GetProperty("groups").EnumerateArray()
            .SelectMany(g => g.GetProperty("rules").EnumerateArray())
            .Select(r => (r.GetProperty("name").GetString()!, r.GetProperty("health").GetString()!))
            .ToArray();
    }

    public async Task<int?> StopAsync() => await _process.StopAsync(TimeSpan.FromSeconds(20));

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await _process.StopAsync(TimeSpan.FromSeconds(20));
        _process.Dispose();
        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
            // A file still held open; the temporary folder is cleaned up by the system.
        }
    }
}
