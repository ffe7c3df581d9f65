using System.Reflection;
using System.Reflection.Emit;
using System.Runtime.CompilerServices;
using System.Runtime.Loader;
using LeakGuard.Sources;
using Microsoft.Extensions.Time.Testing;
using NUnit.Framework;

namespace LeakGuard.Tests.Sources;

[NonParallelizable]
public sealed class LoadedAssemblyTrackerTests
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 12, 3, 12, 0, 0, TimeSpan.Zero));

    [Test]
    public void Starts_from_the_assemblies_already_loaded()
    {
        using var tracker = new LoadedAssemblyTracker(AppDomain.CurrentDomain, _time);
        var all = AppDomain.CurrentDomain.GetAssemblies();

        var counts = tracker.Read();

        Assert.That(counts.Loaded, Is.EqualTo(all.Length));
        Assert.That(counts.Dynamic, Is.EqualTo(all.Count(assembly => assembly.IsDynamic)));
    }

    [Test]
    public void Counts_generated_assemblies_as_they_load_and_names_the_newest_first()
    {
        using var tracker = new LoadedAssemblyTracker(AppDomain.CurrentDomain, _time);
        var before = tracker.Read();
        var builders = new List<AssemblyBuilder>();
        for (var i = 0; i < 3; i++)
        {
            _time.Advance(TimeSpan.FromSeconds(1));
            builders.Add(AssemblyBuilder.DefineDynamicAssembly(new AssemblyName($"LeakGuardTests.Generated{i}"), AssemblyBuilderAccess.Run));
        }

        var after = tracker.Read();
        var newest = tracker.NewestDynamic();

        Assert.Multiple(() =>
        {
            Assert.That(after.Loaded - before.Loaded, Is.EqualTo(3));
            Assert.That(after.Dynamic - before.Dynamic, Is.EqualTo(3));
            Assert.That(after.Collectible, Is.EqualTo(before.Collectible));
            Assert.That(newest.Take(3).Select(load => load.Name), Is.EqualTo(new[] { "LeakGuardTests.Generated2", "LeakGuardTests.Generated1", "LeakGuardTests.Generated0" }));
            Assert.That(newest[0].LoadedAt, Is.EqualTo(_time.GetUtcNow()));
            Assert.That(newest[0].Dynamic, Is.True);
        });
        GC.KeepAlive(builders);
    }

    [Test]
    public void Remembers_only_the_ten_newest_generated_assemblies()
    {
        using var tracker = new LoadedAssemblyTracker(AppDomain.CurrentDomain, _time);
        for (var i = 0; i < 15; i++)
        {
            AssemblyBuilder.DefineDynamicAssembly(new AssemblyName($"LeakGuardTests.Bounded{i}"), AssemblyBuilderAccess.Run);
        }

        var newest = tracker.NewestDynamic();

        Assert.That(newest, Has.Count.EqualTo(LoadedAssemblyTracker.NewestCapacity));
        Assert.That(newest[0].Name, Is.EqualTo("LeakGuardTests.Bounded14"));
        Assert.That(newest[^1].Name, Is.EqualTo("LeakGuardTests.Bounded5"));
    }

    [Test]
    public void A_collectible_assembly_leaves_the_count_once_it_is_unloaded()
    {
        using var tracker = new LoadedAssemblyTracker(AppDomain.CurrentDomain, _time);
        var before = tracker.Read();
        var unloaded = DefineCollectible();

        var loaded = tracker.Read();
        Assert.That(loaded.Collectible - before.Collectible, Is.EqualTo(1));
        Assert.That(loaded.Dynamic - before.Dynamic, Is.EqualTo(1));

        // No event says when a collectible assembly is gone: the tracker re-reads the list every few reads.
        var gone = Eventually.Holds(
            () =>
            {
                GC.Collect();
                GC.WaitForPendingFinalizers();
                return !unloaded.IsAlive && tracker.Read().Collectible == before.Collectible;
            },
            TimeSpan.FromSeconds(30),
            TimeSpan.Zero);

        Assert.That(gone, Is.True, $"collectible count {tracker.Read().Collectible}, alive {unloaded.IsAlive}");
    }

    [Test]
    public void An_assembly_in_a_collectible_load_context_counts_until_the_context_unloads()
    {
        using var tracker = new LoadedAssemblyTracker(AppDomain.CurrentDomain, _time);
        var before = tracker.Read();
        AssemblyLoadContext? context = LoadIntoCollectibleContext();

        // Nothing references the assembly object but its load context: it must still count as loaded.
        for (var i = 0; i < 3; i++)
        {
            GC.Collect();
            GC.WaitForPendingFinalizers();
        }

        Assert.That(tracker.Read().Collectible - before.Collectible, Is.EqualTo(1), "still loaded");
        Assert.That(tracker.Read().Loaded - before.Loaded, Is.EqualTo(1));

        // The runtime may load assemblies of its own meanwhile: only the collectible count is exact here.
        context.Unload();
        context = null;
        var gone = Eventually.Holds(
            () =>
            {
                GC.Collect();
                GC.WaitForPendingFinalizers();
                return tracker.Read().Collectible == before.Collectible;
            },
            TimeSpan.FromSeconds(30),
            TimeSpan.Zero);

        Assert.That(gone, Is.True, $"{tracker.Read()} against {before}");
    }

    [Test]
    public void Stops_counting_when_disposed()
    {
        var tracker = new LoadedAssemblyTracker(AppDomain.CurrentDomain, _time);
        var before = tracker.Read();
        tracker.Dispose();

        AssemblyBuilder.DefineDynamicAssembly(new AssemblyName("LeakGuardTests.AfterDispose"), AssemblyBuilderAccess.Run);

        Assert.That(tracker.Read().Dynamic, Is.EqualTo(before.Dynamic));
        Assert.That(tracker.NewestDynamic().Select(load => load.Name), Does.Not.Contain("LeakGuardTests.AfterDispose"));
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static AssemblyLoadContext LoadIntoCollectibleContext()
    {
        var context = new AssemblyLoadContext("LeakGuardTests.Collectible", isCollectible: true);
        context.LoadFromAssemblyPath(typeof(LoadedAssemblyTracker).Assembly.Location);
        return context;
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static WeakReference DefineCollectible() =>
        new(AssemblyBuilder.DefineDynamicAssembly(new AssemblyName("LeakGuardTests.Collectible"), AssemblyBuilderAccess.RunAndCollect));
}
