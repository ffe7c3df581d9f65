using System.Runtime.CompilerServices;
using LeakGuard.Investigation;

namespace LeakGuard.Testing;

/// <summary>
/// The snapshots of <see cref="LeakAssert.NoRetainedGrowth"/>: counts after the warm-up, suspects after the first
/// round, confirmation after a second round. A type is reported only when it grew in proportion in both rounds, so
/// anything that grows once — a cache filling up, an array pool caching a buffer per thread, a test framework's
/// output buffer, the snapshot machinery's own first-use state — is never mistaken for a leak.
/// </summary>
/// <remarks>
/// Each step takes its snapshot in a frame of its own and keeps only unmanaged counts: a graph still referenced
/// when the next snapshot is taken (debug builds keep a method's temporaries alive to its end) would be counted.
/// </remarks>
internal static class GrowthMeasurement
{
    /// <summary>Takes a snapshot and counts it.</summary>
    /// <returns>The counts.</returns>
    [MethodImpl(MethodImplOptions.NoInlining)]
    public static NativeTypeCounts Count() => NativeTypeCounts.From(SnapshotSession.Take());

    /// <summary>Takes a snapshot and counts it.</summary>
    /// <returns>The counts.</returns>
    public static async Task<NativeTypeCounts> CountAsync() => NativeTypeCounts.From(await SnapshotSession.TakeAsync().ConfigureAwait(false));

    /// <summary>Takes the snapshot after the first round and finds the types that grew in proportion.</summary>
    /// <param name="first">The counts after the warm-up.</param>
    /// <param name="iterations">The runs per round.</param>
    /// <returns>The suspects' type ids, this snapshot's counts and the suspects' per-path counts.</returns>
    [MethodImpl(MethodImplOptions.NoInlining)]
    public static (ulong[] Suspects, NativeTypeCounts Second, NativeTypeCounts SecondPaths) Suspects(NativeTypeCounts first, int iterations) => SuspectsIn(first, SnapshotSession.Take(), iterations);

    /// <summary>Takes the snapshot after the first round and finds the types that grew in proportion.</summary>
    /// <param name="first">The counts after the warm-up.</param>
    /// <param name="iterations">The runs per round.</param>
    /// <returns>The suspects' type ids, this snapshot's counts and the suspects' per-path counts.</returns>
    public static async Task<(ulong[] Suspects, NativeTypeCounts Second, NativeTypeCounts SecondPaths)> SuspectsAsync(NativeTypeCounts first, int iterations) =>
        SuspectsIn(first, await SnapshotSession.TakeAsync().ConfigureAwait(false), iterations);

    /// <summary>Takes the snapshot after the second round; throws when suspects grew in proportion again.</summary>
    /// <param name="first">The counts after the warm-up.</param>
    /// <param name="second">The counts after the first round.</param>
    /// <param name="secondPaths">The suspects' per-path counts after the first round.</param>
    /// <param name="suspects">The suspects' type ids.</param>
    /// <param name="iterations">The runs per round.</param>
    /// <param name="warmUp">The warm-up runs, for the message.</param>
    /// <exception cref="LeakAssertionException">A suspect grew in proportion again.</exception>
    [MethodImpl(MethodImplOptions.NoInlining)]
    public static void Confirm(NativeTypeCounts first, NativeTypeCounts second, NativeTypeCounts secondPaths, ulong[] suspects, int iterations, int warmUp) =>
        ConfirmIn(first, second, secondPaths, SnapshotSession.Take(), suspects, iterations, warmUp);

    /// <summary>Takes the snapshot after the second round; throws when suspects grew in proportion again.</summary>
    /// <param name="first">The counts after the warm-up.</param>
    /// <param name="second">The counts after the first round.</param>
    /// <param name="secondPaths">The suspects' per-path counts after the first round.</param>
    /// <param name="suspects">The suspects' type ids.</param>
    /// <param name="iterations">The runs per round.</param>
    /// <param name="warmUp">The warm-up runs, for the message.</param>
    /// <returns>A task that completes when no suspect grew again.</returns>
    /// <exception cref="LeakAssertionException">A suspect grew in proportion again.</exception>
    public static async Task ConfirmAsync(NativeTypeCounts first, NativeTypeCounts second, NativeTypeCounts secondPaths, ulong[] suspects, int iterations, int warmUp) =>
        ConfirmIn(first, second, secondPaths, await SnapshotSession.TakeAsync().ConfigureAwait(false), suspects, iterations, warmUp);

    private static (ulong[] Suspects, NativeTypeCounts Second, NativeTypeCounts SecondPaths) SuspectsIn(NativeTypeCounts first, HeapGraph graph, int iterations)
    {
        var suspects = GrowthRule.Find(HeapComparison.Compare(first, graph, graph.TypeNames), iterations);
        ulong[] ids = [.. suspects.Select(g => g.Change.TypeId)];
        if (ids.Length == 0)
        {
            return (ids, NativeTypeCounts.From(graph), NativeTypeCounts.From([], [], []));
        }

        // A fresh resolver: the probe's cache would keep the rendered names alive into the next snapshot.
        var names = HeapSummarizer.RenderTypeNames(graph, new NestedTypeResolver());
        var suspectNames = ids.Select(id => names[Array.IndexOf(graph.TypeIds, id)]).Distinct(StringComparer.Ordinal).ToArray();
        return (ids, NativeTypeCounts.From(graph), PathCounter.Keep(PathCounter.Count(graph, names, suspectNames)));
    }

    private static void ConfirmIn(NativeTypeCounts first, NativeTypeCounts second, NativeTypeCounts secondPaths, HeapGraph graph, ulong[] suspects, int iterations, int warmUp)
    {
        var again = GrowthRule.Find(HeapComparison.Compare(second, graph, graph.TypeNames, suspects), iterations)
            .Select(g => g.Change.TypeId)
            .ToHashSet();
        if (again.Count == 0)
        {
            return;
        }

        var rendered = SnapshotSession.Render(graph);
        var growth = GrowthRule.Find(HeapComparison.Compare(first, graph, rendered.TypeNames, again), 2 * iterations);
        if (growth.Count == 0)
        {
            return;
        }

        var shown = growth.Take(LeakMessage.MaxTypes).ToArray();
        var groups = PathCounter.Count(graph, rendered.TypeNames, [.. shown.Select(g => g.Change.Type).Distinct(StringComparer.Ordinal)]);
        var paths = new Dictionary<string, IReadOnlyList<GrowthPath>>(StringComparer.Ordinal);
        foreach (var g in shown)
        {
            var gained = PathCounter.Gained(groups.GetValueOrDefault(g.Change.Type) ?? [], secondPaths, g.ByBytes);
            var top = gained.Count > 0 ? (g.ByBytes ? gained[0].Bytes : gained[0].Count) : 0;

            // Paths that gained a tenth of the top path or less are the process's own churn (a pool's buffer, an IPC message), not the leak.
            gained = [.. gained.Where(p => (g.ByBytes ? p.Bytes : p.Count) * 10 > top).Take(LeakMessage.MaxPaths)];
            var total = gained.Sum(p => g.ByBytes ? p.Bytes : p.Count);
            var qualified = SnapshotSession.Qualify(
            [
                .. gained.Select(p => new RetentionPath { Root = p.Root, Path = p.Chain, Share = total > 0 ? (double)(g.ByBytes ? p.Bytes : p.Count) / total : 0 }),
            ]);
            paths[g.Change.Type] = [.. qualified.Select((path, i) => new GrowthPath(path, gained[i].Count, gained[i].Bytes))];
        }

        throw new LeakAssertionException(LeakMessage.Growth(growth, paths, iterations, warmUp));
    }
}
