using LeakGuard.Investigation;
using Microsoft.Extensions.Logging.Testing;
using NUnit.Framework;

namespace LeakGuard.Tests.Investigation;

/// <summary>
/// Each catalogue entry against its leak built for real in this process: two snapshots around the growth, and the
/// growing type's most common path must name the pattern.
/// </summary>
[NonParallelizable]
[Category("HeapSnapshot")]
public class KnownPatternTests
{
    private const int Growth = 5_000;

    [TearDown]
    public void UndoTheLeaks()
    {
        PatternLeaks.Reset();
        HttpClientLeaks.Reset();
    }

    private static async Task<LeakReport> InvestigateReport(Action grow)
    {
        using var investigator = new LeakInvestigator(new LeakGuardOptions { Snapshots = { Delay = TimeSpan.Zero } }, TimeProvider.System, new FakeLogger());
        var real = investigator.TakeSnapshot;
        var calls = 0;
        investigator.TakeSnapshot = (buffer, token) =>
        {
            if (calls++ == 1)
            {
                grow();
            }

            return real(buffer, token);
        };

        var report = await investigator.InvestigateAsync(null, automatic: false, null, CancellationToken.None);

        Assert.That(report, Is.Not.Null);
        return report!;
    }

    private static async Task<GrowingType> Investigate(Action grow, string growingType)
    {
        var report = await InvestigateReport(grow);
        var type = report!.GrowingTypes.FirstOrDefault(t => t.Type == growingType || t.Type.StartsWith(growingType + " ", StringComparison.Ordinal) || t.Type.EndsWith("." + growingType, StringComparison.Ordinal));
        Assert.That(type, Is.Not.Null, LeakReportText.Tree(report));
        TestContext.Out.Write(LeakReportText.Tree(report));
        return type!;
    }

    private static async Task AssertPattern(Action grow, string growingType, string pattern)
    {
        var type = await Investigate(grow, growingType);

        Assert.That(type.Pattern?.Id, Is.EqualTo(pattern), $"{type.RetentionPaths[0].Root}: {string.Join(" → ", type.RetentionPaths[0].Path)}");
        Assert.That(type.Pattern!.Fix, Is.Not.Empty);
        Assert.That(type.Signature, Does.Match("^lg1-[0-9A-F]{16}$"));
    }

    [Test]
    public Task Static_event_never_unsubscribed() =>
        AssertPattern(() => PatternLeaks.SubscribeToStaticEvent(Growth), "LeakGuard.Tests.Investigation.PatternSubscriber", "event-handler-not-removed");

    [Test]
    public Task Registration_on_a_long_lived_token_never_disposed() =>
        AssertPattern(() => PatternLeaks.RegisterOnLongLivedToken(Growth), "LeakGuard.Tests.Investigation.PatternCallbackState", "cancellation-registration-not-disposed");

    [Test]
    public Task Linked_token_source_never_disposed() =>
        AssertPattern(() => PatternLeaks.LinkToLongLivedToken(Growth), "Linked1CancellationTokenSource", "linked-cts-not-disposed");

    [Test]
    public Task Disposable_transient_resolved_from_the_root_provider() =>
        AssertPattern(() => PatternLeaks.ResolveFromRootProvider(Growth), "LeakGuard.Tests.Investigation.PatternDisposableService", "disposable-resolved-from-root-provider");

    [Test]
    public Task Memory_cache_without_a_size_limit() =>
        AssertPattern(() => PatternLeaks.CacheWithoutLimit(Growth), "LeakGuard.Tests.Investigation.PatternCacheValue", "memory-cache-unbounded");

    [Test]
    public Task Timer_whose_callback_holds_its_owner() =>
        AssertPattern(() => PatternLeaks.StartTimersThatHoldTheirOwner(Growth), "LeakGuard.Tests.Investigation.PatternTimerOwner", "timer-not-disposed");

    [Test]
    public Task Diagnostic_listener_subscription_never_disposed() =>
        AssertPattern(() => PatternLeaks.SubscribeToDiagnosticListener(Growth), "LeakGuard.Tests.Investigation.PatternObserver", "diagnostic-subscription-not-disposed");

    [Test]
    public Task Thread_local_values_never_disposed() =>
        AssertPattern(() => PatternLeaks.KeepThreadLocals(Growth), "LeakGuard.Tests.Investigation.PatternThreadValue", "thread-local-on-pool-threads");

    [Test]
    public Task Event_listener_never_disposed() =>
        // Each listener adds a dispatcher to every EventSource of the process, so those outgrow the listeners themselves
        // (measured in the whole suite: 80,000 EventDispatcher for 5,000 listeners, first matched as a static collection).
        AssertPattern(() => PatternLeaks.CreateEventListeners(Growth), "EventDispatcher", "diagnostic-subscription-not-disposed");

    [Test]
    public Task Async_local_values_kept_by_a_long_running_thread_started_in_their_flow() =>
        AssertPattern(() => PatternLeaks.FlowAsyncLocalsIntoALongRunningThread(Growth), "LeakGuard.Tests.Investigation.PatternFlowValue", "thread-local-on-pool-threads");

    [Test]
    public Task Closures_kept_by_a_static_callback_list() =>
        AssertPattern(() => CallbackList.AddCallbacks(Growth), "closure", "closure-kept-by-long-lived-callback");

    [Test]
    public Task Pooled_connections_rented_and_never_returned() =>
        AssertPattern(() => PatternLeaks.RentWithoutReturning(Growth), "LeakGuard.Tests.Investigation.PatternPooledConnection", "pooled-object-not-returned");

    [Test]
    public Task Static_dictionary_used_as_a_cache() =>
        AssertPattern(() => SessionRegistry.Grow(Growth), "LeakGuard.Tests.Investigation.LeakySession", "static-collection-as-cache");

    [Test]
    public async Task Http_client_created_per_request()
    {
        // The clients are held by a long-lived list (see HttpClientLeaks): each keeps its own pool with one open connection.
        // The test's server keeps its accepted sockets in a static list too, matched as a static collection; the client's
        // connection pool is the more specific match.
        var report = await InvestigateReport(() => HttpClientLeaks.ClientPerRequest(300));
        TestContext.Out.Write(LeakReportText.Tree(report));

        var explained = KnownPatterns.Explain(report);
        Assert.That(explained?.Pattern.Id, Is.EqualTo("http-client-per-request"), LeakReportText.Tree(report));
        var type = report.GrowingTypes.First(t => t.Type == explained!.Value.Subject);
        Assert.That(type.RetentionPaths[0].Path, Has.Some.Matches<string>(step => step.Contains("HttpConnection", StringComparison.Ordinal)));
        Assert.That(type.Signature, Does.Match("^lg1-[0-9A-F]{16}$"));
    }

    [Test]
    public async Task Xml_serializer_built_per_call_names_its_generated_assemblies_and_the_pattern()
    {
        const int Calls = 40;
        var report = await InvestigateReport(() => GeneratedCodeLeaks.SerializePerCall(Calls));
        var text = LeakReportText.Tree(report);
        TestContext.Out.Write(text);

        Assert.That(report.LoadedAssemblies, Is.Not.Null, "code was generated between the snapshots");
        var generated = report.LoadedAssemblies!;
        Assert.Multiple(() =>
        {
            Assert.That(generated.DynamicBetweenSnapshots, Is.GreaterThanOrEqualTo(Calls), "one generated assembly per call");
            Assert.That(generated.Dynamic, Is.GreaterThanOrEqualTo(Calls));
            Assert.That(generated.Newest, Has.Count.EqualTo(LeakGuard.Sources.LoadedAssemblyTracker.NewestCapacity));
            Assert.That(generated.Newest.Select(load => load.Name), Is.All.EqualTo("Microsoft.GeneratedCode"));
            Assert.That(generated.Pattern?.Id, Is.EqualTo("xml-serializer-per-call"));
            Assert.That(KnownPatterns.Explain(report)?.Pattern.Id, Is.EqualTo("xml-serializer-per-call"), "the generated assemblies explain the report");
            Assert.That(text, Does.Contain("newest: Microsoft.GeneratedCode ×10"));
            Assert.That(text, Does.Contain("known pattern xml-serializer-per-call"));
        });
    }

    [Test]
    public async Task A_report_without_generated_code_has_no_assembly_section()
    {
        var report = await InvestigateReport(() => SessionRegistry.Grow(Growth));

        Assert.That(report.LoadedAssemblies, Is.Null);
    }

    [Test]
    public async Task The_same_leak_has_the_same_signature_in_two_investigations()
    {
        var first = await Investigate(() => SessionRegistry.Grow(Growth), "LeakGuard.Tests.Investigation.LeakySession");
        var second = await Investigate(() => SessionRegistry.Grow(Growth), "LeakGuard.Tests.Investigation.LeakySession");

        Assert.That(second.Signature, Is.EqualTo(first.Signature));
        Assert.That(second.Signature, Is.Not.EqualTo((await Investigate(() => BufferPool.Grow(Growth), "Byte[]")).Signature));
    }
}
