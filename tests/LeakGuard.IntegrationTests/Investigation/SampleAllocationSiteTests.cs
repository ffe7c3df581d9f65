using LeakGuard.IntegrationTests.Prometheus;
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
    public async Task StartAsync() => _sample = await SampleWebApi.StartAsync(SampleInvestigation.Settings);

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
        var report = await SampleInvestigation.RunAsync(_sample!, leak);
        var top = report.Top;
        Assert.That(top, Is.Not.Null, "the report lists no growing type");
        TestContext.Out.WriteLine($"{leak}: top type {top!.Type}; top stack: {string.Join(" <- ", top.AllocationSites.FirstOrDefault() ?? [])}");
        Assert.That(top.AllocationSites, Is.Not.Empty, $"{top.Type} has no allocation stacks (allocations: {report.AllocationsMissing ?? "no reason given"})");
        Assert.That(top.AllocationSites[0], Has.Some.Contains($".{leakClass}.Step("), $"the top stack of {top.Type} does not pass through {leakClass}.Step");
    }
}
