using LeakGuard.IntegrationTests.Prometheus;
using NUnit.Framework;

namespace LeakGuard.IntegrationTests.Investigation;

/// <summary>
/// Issue 17's target on the web sample: for each of its managed leaks, the report of an investigation started from the
/// dashboard while the leak runs names, for its top growing type, the known pattern that leak is an instance of and the
/// pattern's fix. The sample runs as a real process (its own settings plus manual snapshots and a 5-s window), one
/// investigation per leak. The expected patterns are listed in samples/LeakGuard.Samples.WebApi/README.md.
/// </summary>
[NonParallelizable]
public sealed class SamplePatternTests
{
    private SampleWebApi? _sample;

    /// <summary>The sample's managed leaks (samples/LeakGuard.Samples.WebApi/Leaks): name, growing type, expected pattern.</summary>
    public static IEnumerable<TestCaseData> ManagedLeaks { get; } =
    [
        new TestCaseData("cache", "static-collection-as-cache"),
        new TestCaseData("events", "event-handler-not-removed"),
        new TestCaseData("closures", "closure-kept-by-long-lived-callback"),
        new TestCaseData("registry", "static-collection-as-cache"),
        new TestCaseData("pool", "pooled-object-not-returned"),
        new TestCaseData("logbuffer", "static-collection-as-cache"),
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
    public async Task Report_names_the_leaks_known_pattern_and_its_fix(string leak, string pattern)
    {
        var report = await SampleInvestigation.RunAsync(_sample!, leak);
        var top = report.Top;
        Assert.That(top, Is.Not.Null, "the report lists no growing type");
        TestContext.Out.WriteLine($"{leak}: top type {top!.Type}, pattern {top.PatternId ?? "none"}, held via {top.RetentionPaths.FirstOrDefault()?.Root ?? "nothing"}");
        Assert.That(top.PatternId, Is.EqualTo(pattern), $"the top type {top.Type}'s pattern");
        Assert.That(top.PatternFix, Is.Not.Null.And.Not.Empty, $"the pattern {top.PatternId} has no fix in the report");
    }
}
