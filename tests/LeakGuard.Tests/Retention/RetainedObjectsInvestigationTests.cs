using System.Runtime.CompilerServices;
using LeakGuard.Investigation;
using LeakGuard.Retention;
using LeakGuard.Tests.Testing.Leaks;
using Microsoft.Extensions.Logging.Abstractions;
using NUnit.Framework;

namespace LeakGuard.Tests.Retention;

/// <summary>The retention investigation with a real heap snapshot of this process.</summary>
[NonParallelizable]
public sealed class RetainedObjectsInvestigationTests
{
    [TearDown]
    public void CleanUp() => ConfigurationBus.Reset();

    [Test]
    public async Task Report_shows_the_static_event_that_keeps_the_retained_handlers_and_their_labels()
    {
        SubscribeListeners(3);

        using var investigator = new LeakInvestigator(new LeakGuardOptions(), TimeProvider.System, NullLogger.Instance);
        var report = await investigator.InvestigateRetainedAsync(
            [new RetainedTypeGroup(typeof(ReloadListener), 3, ["settings page listener (×3)"])],
            memoryLimitBytes: null,
            CancellationToken.None);

        Assert.That(report, Is.Not.Null);
        Assert.That(report!.Signal, Is.EqualTo(LeakSignals.RetainedObjects));
        var type = report.GrowingTypes.Single();
        Assert.That(type.Type, Is.EqualTo("LeakGuard.Tests.Testing.Leaks.ReloadListener"));
        Assert.That(type.CountDelta, Is.EqualTo(3));
        Assert.That(type.CountAfter, Is.GreaterThanOrEqualTo(3));
        Assert.That(type.Labels, Is.EqualTo(new[] { "settings page listener (×3)" }));
        var path = type.RetentionPaths[0];
        Assert.That(path.Root, Is.EqualTo("static field LeakGuard.Tests.Testing.Leaks.ConfigurationBus.Changed"));
        Assert.That(path.Path[^1], Is.EqualTo("LeakGuard.Tests.Testing.Leaks.ReloadListener"));
        Assert.That(LeakReportSerializer.Serialize(report), Does.Contain("\"labels\""));
    }

    // In a frame of its own: listeners held by a local of the test would be reached from its stack first (a shorter path).
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void SubscribeListeners(int count)
    {
        for (var i = 0; i < count; i++)
        {
            ConfigurationBus.Subscribe(new ReloadListener());
        }
    }
}
