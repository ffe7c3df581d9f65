using System.Net;
using System.Text.Json;
using LeakGuard.IntegrationTests.Prometheus;
using LeakGuard.IntegrationTests.Zoo;
using NUnit.Framework;

namespace LeakGuard.IntegrationTests.Investigation;

/// <summary>
/// Issue 18's target on the web sample: for each of its managed leaks, an investigation started from the dashboard
/// (<c>POST /leakguard/api/investigate</c>) while the leak runs gives a report whose top growing type's top allocation
/// stack contains the leak's own <c>Step</c> method, the code that creates the leaked objects. The sample runs as a
/// real process with its own settings plus manual snapshots, a 5-s window and no cooldown (one investigation per leak).
/// Explicit: the target is not met for four of the six (2026-12-04: <c>registry</c> and <c>logbuffer</c> pass; for
/// <c>cache</c>, <c>events</c>, <c>closures</c> and <c>pool</c> the top type is <c>Byte[]</c>, and the sample's traffic
/// simulator allocates 15–20 times more <c>Byte[]</c> garbage in the window than the leak, so the stacks ranked by bytes
/// allocated put the churn first). Ranking by what survives needs the GC's survival and movement events
/// (docs/investigation.md, "Churn of the leaked type"). Run it to measure:
/// <c>dotnet test tests/LeakGuard.IntegrationTests -c Release --filter "FullyQualifiedName~SampleAllocationSiteTests"</c>.
/// </summary>
[NonParallelizable]
[Explicit("Issue 18's web-sample target, unmet for 4 of 6 leaks: allocation stacks are ranked by bytes allocated, and the sample's Byte[] churn outweighs the leaks' Byte[]")]
public sealed class SampleAllocationSiteTests
{
    private static readonly TimeSpan InvestigationDeadline = TimeSpan.FromSeconds(90);
    private SampleWebApi? _sample;

    /// <summary>The sample's managed leaks (samples/LeakGuard.Samples.WebApi/Leaks): name and class.</summary>
    public static IEnumerable<TestCaseData> ManagedLeaks { get; } =
    [
        new TestCaseData("cache", "UnboundedCacheLeak"),
        new TestCaseData("events", "EventHandlerLeak"),
        new TestCaseData("closures", "ClosureLeak"),
        new TestCaseData("registry", "SeenIdsLeak"),
        new TestCaseData("pool", "UnreturnedPoolLeak"),
        new TestCaseData("logbuffer", "LogBufferLeak"),
    ];

    [OneTimeSetUp]
    public async Task StartAsync() => _sample = await SampleWebApi.StartAsync(new Dictionary<string, string>
    {
        ["LeakGuard__Snapshots__Mode"] = "Manual",
        ["LeakGuard__Snapshots__Delay"] = "00:00:05",
        ["LeakGuard__Snapshots__Cooldown"] = "00:00:00",
    });

    [OneTimeTearDown]
    public async Task StopAsync()
    {
        if (_sample is not null)
        {
            await _sample.DisposeAsync();
        }
    }

    [TestCaseSource(nameof(ManagedLeaks))]
    public async Task Top_stack_of_the_top_growing_type_contains_the_leaks_own_method(string leak, string leakClass)
    {
        var sample = _sample!;
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
        var report = ZooReport.Read(path);
        ZooArtifacts.Keep(path, $"sample-{leak}-report.json");
        var top = report.Top;
        Assert.That(top, Is.Not.Null, "the report lists no growing type");
        TestContext.Out.WriteLine($"{leak}: top type {top!.Type}; top stack: {string.Join(" <- ", top.AllocationSites.FirstOrDefault() ?? [])}");
        Assert.That(top.AllocationSites, Is.Not.Empty, $"{top.Type} has no allocation stacks (allocations: {report.AllocationsMissing ?? "no reason given"})");
        Assert.That(top.AllocationSites[0], Has.Some.Contains($".{leakClass}.Step("), $"the top stack of {top.Type} does not pass through {leakClass}.Step");
    }

    private static async Task<int> ReportCountAsync(HttpClient client)
    {
        using var document = JsonDocument.Parse(await client.GetStringAsync("/leakguard/api/reports"));
        return document.RootElement.GetProperty("reports").GetArrayLength();
    }
}
