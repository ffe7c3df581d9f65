using System.Runtime.CompilerServices;
using LeakGuard.Retention;
using LeakGuard.Tests.Testing.Leaks;
using NUnit.Framework;

namespace LeakGuard.Tests.Retention;

[NonParallelizable]
public sealed class RetentionWatchTests
{
    private static readonly DateTimeOffset Start = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    [TearDown]
    public void CleanUp() => ConfigurationBus.Reset();

    [Test]
    public void Handler_kept_alive_by_a_static_event_is_retained_once_a_full_GC_ran_after_its_grace_period()
    {
        var watch = new RetentionWatch(new RetentionOptions());
        var listener = new ReloadListener();
        ConfigurationBus.Subscribe(listener);
        watch.Add(listener, "reload listener", Start);
        listener = null;

        Assert.That(watch.Check(Start.AddSeconds(5), gen2Count: 3), Is.Zero, "within the grace period");
        Assert.That(watch.Check(Start.AddSeconds(11), gen2Count: 3), Is.Zero, "grace period over, but no full GC since");
        Assert.That(watch.Check(Start.AddSeconds(12), gen2Count: 4), Is.EqualTo(1));
        var retained = watch.DescribeRetained(gen2Count: 4);
        Assert.That(retained.Single().Type, Is.EqualTo(typeof(ReloadListener)));
        Assert.That(retained[0].Labels, Is.EqualTo(new[] { "reload listener" }));
    }

    [Test]
    public void Full_GC_before_the_grace_period_ended_does_not_make_an_object_retained()
    {
        var watch = new RetentionWatch(new RetentionOptions());
        var listener = new ReloadListener();
        ConfigurationBus.Subscribe(listener);
        watch.Add(listener, "reload listener", Start);

        Assert.That(watch.Check(Start.AddSeconds(5), gen2Count: 7), Is.Zero);
        Assert.That(watch.Check(Start.AddSeconds(60), gen2Count: 7), Is.Zero);
    }

    [Test]
    public void Objects_that_die_are_never_retained_and_leave_the_watch()
    {
        var watch = new RetentionWatch(new RetentionOptions());
        WatchGarbage(watch, 100);
        FullCollection();

        Assert.That(watch.Check(Start.AddSeconds(11), gen2Count: 1), Is.Zero);
        Assert.That(watch.Check(Start.AddSeconds(20), gen2Count: 2), Is.Zero);
        Assert.That(watch.Watched, Is.Zero);
    }

    [Test]
    public void Watch_holds_its_objects_only_weakly()
    {
        var watch = new RetentionWatch(new RetentionOptions());
        var reference = WatchOne(watch);
        FullCollection();

        Assert.That(reference.IsAlive, Is.False);
    }

    [Test]
    public void Watch_stays_bounded_however_many_objects_are_registered()
    {
        var watch = new RetentionWatch(new RetentionOptions { MaxWatchedObjects = 16 });
        var alive = new List<object>();
        for (var i = 0; i < 10_000; i++)
        {
            var target = new object();
            alive.Add(target);
            watch.Add(target, "request", Start);
        }

        Assert.That(watch.Watched, Is.EqualTo(16));
        Assert.That(watch.Dropped, Is.EqualTo(10_000 - 16));

        alive.Clear();
        FullCollection();
        Assert.That(watch.Check(Start.AddSeconds(1), gen2Count: 1), Is.Zero);
        Assert.That(watch.Watched, Is.Zero);
        Assert.That(watch.Add(new object(), "again", Start), Is.True);
    }

    [Test]
    public void Full_watch_makes_room_by_pruning_dead_objects()
    {
        var watch = new RetentionWatch(new RetentionOptions { MaxWatchedObjects = 16 });
        WatchGarbage(watch, 16);
        FullCollection();

        var kept = new object();
        Assert.That(watch.Add(kept, "live", Start), Is.True);
        Assert.That(watch.Watched, Is.EqualTo(1));
        GC.KeepAlive(kept);
    }

    [Test]
    public void Retained_objects_are_grouped_by_type_with_their_most_frequent_labels_first()
    {
        var watch = new RetentionWatch(new RetentionOptions { GracePeriod = TimeSpan.Zero });
        var alive = new List<object>();
        foreach (var label in new[] { "checkout", "checkout", "cart" })
        {
            var listener = new ReloadListener();
            alive.Add(listener);
            watch.Add(listener, label, Start);
        }

        var session = new CachedSession(1);
        watch.Add(session, "session 1", Start);
        watch.Check(Start, gen2Count: 0);
        Assert.That(watch.Check(Start, gen2Count: 1), Is.EqualTo(4));

        var groups = watch.DescribeRetained(gen2Count: 1);

        Assert.That(groups.Select(g => (g.Type, g.Count)), Is.EqualTo(new[] { (typeof(ReloadListener), 3), (typeof(CachedSession), 1) }));
        Assert.That(groups[0].Labels, Is.EqualTo(new[] { "checkout (×2)", "cart" }));
        GC.KeepAlive(alive);
        GC.KeepAlive(session);
    }

    [Test]
    public void Registering_into_reused_slots_allocates_nothing()
    {
        var watch = new RetentionWatch(new RetentionOptions { MaxWatchedObjects = 64 });
        var targets = Enumerable.Range(0, 64).Select(_ => new object()).ToArray();
        Register(watch, targets);
        Assert.That(watch.Check(Start, gen2Count: 0), Is.Zero);
        WatchGarbage(watch, 64);
        FullCollection();
        watch.Check(Start.AddSeconds(1), gen2Count: 1);

        var before = GC.GetAllocatedBytesForCurrentThread();
        Register(watch, targets);
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.That(allocated, Is.Zero);
        Assert.That(watch.Watched, Is.EqualTo(64));
    }

    private static void Register(RetentionWatch watch, object[] targets)
    {
        foreach (var target in targets)
        {
            watch.Add(target, "request", Start);
        }
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void WatchGarbage(RetentionWatch watch, int count)
    {
        for (var i = 0; i < count; i++)
        {
            watch.Add(new ReloadListener(), "short-lived", Start);
        }
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static WeakReference WatchOne(RetentionWatch watch)
    {
        var target = new ReloadListener();
        watch.Add(target, "one", Start);
        return new WeakReference(target);
    }

    private static void FullCollection()
    {
        GC.Collect(2, GCCollectionMode.Forced, blocking: true, compacting: true);
        GC.WaitForPendingFinalizers();
        GC.Collect(2, GCCollectionMode.Forced, blocking: true, compacting: true);
    }
}
