using System.Net;
using System.Text.Json;
using LeakGuard.IntegrationTests.Prometheus;
using LeakGuard.IntegrationTests.Zoo;
using NUnit.Framework;

namespace LeakGuard.IntegrationTests.Investigation;

/// <summary>
/// One investigation of one of the web sample's leaks, the way a user runs it from the dashboard: start the leak, ask for
/// an investigation (<c>POST /leakguard/api/investigate</c>) while it runs, wait for the new report, stop and remove the
/// leak, and read the report the dashboard serves.
/// </summary>
internal static class SampleInvestigation
{
    private static readonly TimeSpan InvestigationDeadline = TimeSpan.FromSeconds(90);

    /// <summary>The sample's settings for investigations on request: manual snapshots, a 5-s window, no cooldown.</summary>
    public static IDictionary<string, string> Settings { get; } = new Dictionary<string, string>
    {
        ["LeakGuard__Snapshots__Mode"] = "Manual",
        ["LeakGuard__Snapshots__Delay"] = "00:00:05",
        ["LeakGuard__Snapshots__Cooldown"] = "00:00:00",
    };

    /// <summary>Runs the leak named <paramref name="leak"/> through one investigation and returns its report.</summary>
    /// <param name="sample">The running sample (started with <see cref="Settings"/>).</param>
    /// <param name="leak">The leak's name (<c>/leaks/{leak}</c>).</param>
    /// <returns>The report (its JSON is kept as the artifact <c>sample-{leak}-report.json</c>).</returns>
    public static async Task<ZooReport> RunAsync(SampleWebApi sample, string leak)
    {
        var client = sample.Client;
        var before = await ReportCountAsync(client);
        (await client.PostAsync($"/leaks/{leak}/start", null)).EnsureSuccessStatusCode();
        try
        {
            var started = await Eventually.ReturnsAsync(
                async () =>
                {
                    using var response = await client.PostAsync("/leakguard/api/investigate", null);
                    return response.StatusCode == HttpStatusCode.Accepted ? "started"
                        : response.StatusCode is HttpStatusCode.Conflict or HttpStatusCode.TooManyRequests ? null
                        : throw new AssertionException($"investigate answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
                },
                TimeSpan.FromSeconds(30),
                () => "the dashboard never accepted an investigation:\n" + sample.Output);
            Assert.That(started, Is.EqualTo("started"));
            await Eventually.ReturnsAsync(
                async () => await ReportCountAsync(client) > before ? "done" : null,
                InvestigationDeadline,
                () => $"no report within {InvestigationDeadline.TotalSeconds} s:\n" + sample.Output,
                TimeSpan.FromMilliseconds(500));
        }
        finally
        {
            await client.PostAsync($"/leaks/{leak}/stop", null);
            await client.DeleteAsync($"/leaks/{leak}");
        }

        using var directory = new TempDirectory();
        var path = Path.Combine(directory.Path, leak + "-report.json");
        await File.WriteAllTextAsync(path, await client.GetStringAsync("/leakguard/api/reports/latest"));
        ZooArtifacts.Keep(path, $"sample-{leak}-report.json");
        return ZooReport.Read(path);
    }

    private static async Task<int> ReportCountAsync(HttpClient client)
    {
        using var document = JsonDocument.Parse(await client.GetStringAsync("/leakguard/api/reports"));
        return document.RootElement.GetProperty("reports").GetArrayLength();
    }
}
