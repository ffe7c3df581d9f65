using LeakGuard.Investigation;
using NUnit.Framework;

namespace LeakGuard.Tests.Investigation;

/// <summary>The catalogue's rules against retention paths written out, for the shapes the in-process leaks cannot show.</summary>
public sealed class KnownPatternMatchTests
{
    private static KnownPattern? Match(string growing, string root, params string[] path) =>
        KnownPatterns.Match(growing, [new RetentionPath { Root = root, Share = 1, Path = [.. path, growing] }]);

    [Test]
    public void A_client_connection_waiting_for_its_finalizer_is_the_http_client_pattern() =>
        Assert.That(Match("Byte[]", "finalizer queue", "HttpConnection", "HttpConnectionPool")?.Id, Is.EqualTo("http-client-per-request"));

    [Test]
    public void Kestrels_server_side_connection_is_not_an_http_client() =>
        Assert.That(
            Match("MyApp.RequestState", "strong GC handle", "Microsoft.AspNetCore.Server.Kestrel.Core.Internal.HttpConnection", "MyApp.RequestState[]")?.Id,
            Is.Not.EqualTo("http-client-per-request"));

    [Test]
    public void A_pool_reached_through_a_timer_callback_is_the_pool_pattern() =>
        // The web sample's pool leak: its owner is captured by the timer that drives it; the rented connections accumulate
        // in the pool's list, not in the timer queue (matched as timer-not-disposed before the pool entry existed). The path
        // as reports show it: the timer queue's TimerQueue[] → TimerQueue steps are folded away (RetentionPathFinder.Compact).
        Assert.That(
            Match(
                "Byte[]",
                "static field TimerQueue.Instances",
                "TimerQueueTimer", "TimerCallback", "closure in MyApp.LeakLab.Start (<>c__DisplayClass9_0)",
                "MyApp.UnreturnedPoolLeak", "MyApp.ConnectionPool", "List<MyApp.PooledConnection>", "MyApp.PooledConnection")?.Id,
            Is.EqualTo("pooled-object-not-returned"));

    [TestCase("SharedArrayPool<Byte>", "SharedArrayPoolThreadLocalArray[]")]
    [TestCase("ThreadPoolWorkQueue", "ConcurrentQueue<IThreadPoolWorkItem>")]
    [TestCase("Microsoft.Extensions.ObjectPool.DefaultObjectPool<MyApp.Parser>", "List<MyApp.Parser>")]
    public void Framework_pools_and_queues_are_not_the_pool_pattern(string holder, string collection) =>
        Assert.That(Match("MyApp.Item", "static field MyApp.Holder.Instance", holder, collection)?.Id, Is.Not.EqualTo("pooled-object-not-returned"));
}
