using LeakGuard.Tests.Hosting.Fakes;
using NUnit.Framework;

namespace LeakGuard.Tests.Hosting;

public sealed class WatchTests
{
    [Test]
    public void A_watched_gauge_becomes_a_signal_until_its_handle_is_disposed()
    {
        using var h = new MonitorHarness().Start();
        var cacheCount = 10L;
        var handle = h.Monitor.Watch("orders_cache", () => cacheCount);
        h.StepBucket();
        cacheCount = 25;
        h.StepBucket();

        Assert.That(h.Monitor.GetSeries("orders_cache", TimeSpan.Zero).Select(p => p.Last), Is.EqualTo(new[] { 10.0, 25.0 }));
        Assert.That(h.Monitor.Verdicts.ContainsKey("orders_cache"), Is.True);
        Assert.That(h.Script.Limits["orders_cache"], Is.Null, "a user gauge is a count, not memory");

        handle.Dispose();
        h.StepBucket();
        Assert.That(h.Monitor.GetSeries("orders_cache", TimeSpan.Zero), Is.Empty);
        Assert.That(h.Monitor.Verdicts.ContainsKey("orders_cache"), Is.False);
    }

    [Test]
    public void A_throwing_gauge_is_skipped_and_reported_once()
    {
        using var h = new MonitorHarness().Start();
        h.Monitor.Watch("explodes", () => throw new InvalidOperationException("gauge bug"));
        h.StepBucket(3);

        Assert.That(h.LogsWithId(91).Count(), Is.EqualTo(1));
        Assert.That(h.Monitor.GetRecentMemorySamples(), Has.Count.EqualTo(3), "the rest of the step ran");
    }

    [TestCase("")]
    [TestCase("has space")]
    [TestCase("managed_heap")]
    [TestCase("an_extremely_long_gauge_name_that_goes_on_and_on_past_sixty_four_chars")]
    public void Invalid_gauge_names_are_rejected(string name)
    {
        using var h = new MonitorHarness();
        Assert.Throws<ArgumentException>(() => h.Monitor.Watch(name, () => 1));
    }

    [Test]
    public void A_name_can_be_watched_once_at_a_time()
    {
        using var h = new MonitorHarness();
        using var first = h.Monitor.Watch("queue", () => 1);

        Assert.Throws<InvalidOperationException>(() => h.Monitor.Watch("queue", () => 2));
    }
}
