using System.Runtime.CompilerServices;
using LeakGuard.Investigation;

namespace LeakGuard.Testing;

/// <summary>
/// Leak assertions for any test framework (NUnit, xUnit, MSTest…): they throw <see cref="LeakAssertionException"/>,
/// which every framework reports as a failure. They take heap snapshots of the test process, which needs the
/// runtime's diagnostics channel (on by default) and pauses the process briefly; assertions run one at a time.
/// Deterministic: they count objects after full garbage collections and never measure time.
/// </summary>
public static class LeakAssert
{
    /// <summary>The fewest iterations <see cref="NoRetainedGrowth"/> accepts.</summary>
    public const int MinIterations = 10;

    /// <summary>
    /// Asserts that repeating <paramref name="operation"/> does not leave objects behind: runs it a few times to warm up
    /// (lazy statics, caches that fill once), counts every type's live instances after full garbage collections, runs it
    /// <paramref name="iterations"/> times, collects and counts again, and fails when some type gained instances in
    /// proportion to the iterations (at least 0.9 per iteration) or one type's bytes grew by at least 64 per iteration —
    /// and did so again in a second round of <paramref name="iterations"/> runs (run only when the first round found a
    /// suspect), so that anything that grows once is never reported.
    /// </summary>
    /// <param name="operation">The operation under test, for example one request through the code path that might leak.</param>
    /// <param name="iterations">
    /// How many times to run it between the snapshots. The default value is 1000. Use at least twice the capacity of
    /// any cache the operation fills, so that filling it up does not look like a leak.
    /// </param>
    /// <exception cref="LeakAssertionException">Some type grew in proportion to the iterations; the message names it, its growth per iteration and the retention path from its GC root.</exception>
    /// <exception cref="InvalidOperationException">Heap snapshots are unavailable in this process (diagnostics disabled).</exception>
    public static void NoRetainedGrowth(Action operation, int iterations = 1000)
    {
        ArgumentNullException.ThrowIfNull(operation);
        ArgumentOutOfRangeException.ThrowIfLessThan(iterations, MinIterations);
        var warmUp = WarmUpRuns(iterations);
        using (SnapshotSession.Enter())
        {
            Repeat(operation, warmUp);
            using var first = GrowthMeasurement.Count();
            Repeat(operation, iterations);
            var (suspects, second, secondPaths) = GrowthMeasurement.Suspects(first, iterations);
            using (second)
            using (secondPaths)
            {
                if (suspects.Length > 0)
                {
                    Repeat(operation, iterations);
                    GrowthMeasurement.Confirm(first, second, secondPaths, suspects, iterations, warmUp);
                }
            }
        }
    }

    /// <summary>
    /// Asserts that repeating an asynchronous <paramref name="operation"/> does not leave objects behind; see
    /// <see cref="NoRetainedGrowth"/>. Each run is awaited before the next starts.
    /// </summary>
    /// <param name="operation">The asynchronous operation under test.</param>
    /// <param name="iterations">How many times to run it between the snapshots. The default value is 1000.</param>
    /// <returns>A task that completes when the assertion passed.</returns>
    /// <exception cref="LeakAssertionException">Some type grew in proportion to the iterations.</exception>
    /// <exception cref="InvalidOperationException">Heap snapshots are unavailable in this process (diagnostics disabled).</exception>
    public static async Task NoRetainedGrowthAsync(Func<Task> operation, int iterations = 1000)
    {
        ArgumentNullException.ThrowIfNull(operation);
        ArgumentOutOfRangeException.ThrowIfLessThan(iterations, MinIterations);
        var warmUp = WarmUpRuns(iterations);
        using (await SnapshotSession.EnterAsync().ConfigureAwait(false))
        {
            await RepeatAsync(operation, warmUp).ConfigureAwait(false);
            using var first = await GrowthMeasurement.CountAsync().ConfigureAwait(false);
            await RepeatAsync(operation, iterations).ConfigureAwait(false);
            var (suspects, second, secondPaths) = await GrowthMeasurement.SuspectsAsync(first, iterations).ConfigureAwait(false);
            using (second)
            using (secondPaths)
            {
                if (suspects.Length > 0)
                {
                    await RepeatAsync(operation, iterations).ConfigureAwait(false);
                    await GrowthMeasurement.ConfirmAsync(first, second, secondPaths, suspects, iterations, warmUp).ConfigureAwait(false);
                }
            }
        }
    }

    /// <summary>
    /// Asserts that the object <paramref name="create"/> returns becomes garbage once <paramref name="create"/> has returned
    /// (for example a view model after <c>Dispose</c>, or a handler after unsubscribing). The object is held only weakly;
    /// create and release it inside the delegate, so no local variable of the test keeps it alive.
    /// </summary>
    /// <param name="create">Creates the object, uses it and lets go of it; returns it.</param>
    /// <exception cref="LeakAssertionException">The object is still reachable after full garbage collections; the message shows what holds objects of its type.</exception>
    /// <exception cref="InvalidOperationException">The object is alive and heap snapshots are unavailable to explain why.</exception>
    public static void IsCollected(Func<object> create)
    {
        ArgumentNullException.ThrowIfNull(create);
        var reference = CreateWeakly(create);
        using (SnapshotSession.Enter())
        {
            if (TypeIfAlive(reference) is { } type)
            {
                Explain(type, SnapshotSession.Take());
            }
        }
    }

    /// <summary>Asserts that the object an asynchronous <paramref name="create"/> returns becomes garbage; see <see cref="IsCollected"/>.</summary>
    /// <param name="create">Creates the object, uses it and lets go of it; returns it.</param>
    /// <returns>A task that completes when the assertion passed.</returns>
    /// <exception cref="LeakAssertionException">The object is still reachable after full garbage collections.</exception>
    /// <exception cref="InvalidOperationException">The object is alive and heap snapshots are unavailable to explain why.</exception>
    public static async Task IsCollectedAsync(Func<Task<object>> create)
    {
        ArgumentNullException.ThrowIfNull(create);
        var reference = await CreateWeaklyAsync(create).ConfigureAwait(false);
        using (await SnapshotSession.EnterAsync().ConfigureAwait(false))
        {
            if (TypeIfAlive(reference) is { } type)
            {
                Explain(type, await SnapshotSession.TakeAsync().ConfigureAwait(false));
            }
        }
    }

    /// <summary>Gets the warm-up runs for an iteration count: a tenth, at least 5 and at most 50.</summary>
    /// <param name="iterations">The measured iterations.</param>
    /// <returns>The warm-up runs.</returns>
    internal static int WarmUpRuns(int iterations) => Math.Clamp(iterations / 10, 5, 50);

    private static void Repeat(Action operation, int count)
    {
        for (var i = 0; i < count; i++)
        {
            operation();
        }
    }

    private static async Task RepeatAsync(Func<Task> operation, int count)
    {
        for (var i = 0; i < count; i++)
        {
            await operation().ConfigureAwait(false);
        }
    }

    private static void Explain(Type type, HeapGraph graph)
    {
        var rendered = SnapshotSession.Render(graph);
        var id = RetainedTypeProbe.TypeIdOf(type);
        var index = Array.IndexOf(graph.TypeIds, id);
        var name = index >= 0 ? rendered.TypeNames[index] : TypeNameFormatter.Format(type.FullName ?? type.Name);
        var paths = index >= 0 ? SnapshotSession.FindPaths(rendered, [name]).GetValueOrDefault(name) : null;
        throw new LeakAssertionException(LeakMessage.NotCollected(name, paths));
    }

    // Separate, non-inlined frames: no local of the caller may keep the object alive (debug builds keep locals to the end of a method).
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static WeakReference CreateWeakly(Func<object> create) => new(create() ?? throw new ArgumentException("The delegate returned null.", nameof(create)));

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static async Task<WeakReference> CreateWeaklyAsync(Func<Task<object>> create) =>
        new(await create().ConfigureAwait(false) ?? throw new ArgumentException("The delegate returned null.", nameof(create)));

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static Type? TypeIfAlive(WeakReference reference)
    {
        RetainedTypeProbe.CollectFully();
        return reference.Target?.GetType();
    }
}
