using LeakGuard.Investigation;

namespace LeakGuard.SnapshotTarget;

internal sealed class Session
{
    public Guid Id { get; } = Guid.NewGuid();
    public byte[] Payload { get; } = new byte[16];
}

internal static class Spike
{
    private static readonly Dictionary<Guid, Session> Sessions = [];

    public static async Task<int> RunAsync()
    {
        for (var i = 0; i < 50000; i++)
        {
            var s = new Session();
            Sessions[s.Id] = s;
        }

        var snapshotter = new HeapSnapshotter(TimeProvider.System, TimeSpan.FromSeconds(60));
        var snap = await snapshotter.TakeAsync(256, CancellationToken.None);
        var g = snap.Graph;
        Console.WriteLine($"nodes {g.NodeCount} edges {g.EdgeCount} roots {g.Roots.Length} types {g.TypeNames.Length} dur {snap.Duration.TotalMilliseconds} pause {snap.Pause.TotalMilliseconds}");
        var counts = new int[g.TypeNames.Length];
        foreach (var t in g.NodeType) counts[t]++;
        foreach (var i in Enumerable.Range(0, counts.Length).OrderByDescending(i => counts[i]).Take(25))
            Console.WriteLine($"{counts[i],8} {g.TypeNames[i]}");
        foreach (var grp in g.Roots.GroupBy(r => r.Kind)) Console.WriteLine($"root {grp.Key}: {grp.Count()}");
        foreach (var r in g.Roots.Where(r => r.Kind == RootKind.StaticField).Take(15)) Console.WriteLine($"static {r.Name} -> {g.TypeNames[g.NodeType[r.Node]]}");
        var missing = 0; for (var e = 0; e < g.EdgeCount; e++) if (g.EdgeTarget(e) < 0) missing++;
        Console.WriteLine($"edges outside: {missing}");
        foreach (var n in g.TypeNames.Where(n => n.Contains('`') || n.Contains("<>")).Take(20)) Console.WriteLine("name: " + n);
        // second snapshot
        snap = null; g = null;
        var snap2 = await snapshotter.TakeAsync(256, CancellationToken.None);
        Console.WriteLine($"2nd nodes {snap2.Graph.NodeCount} unnamed {snap2.Graph.TypeNames.Count(n => n.StartsWith("Type#"))} dur {snap2.Duration.TotalMilliseconds} pause {snap2.Pause.TotalMilliseconds}");
        try { await snapshotter.TakeAsync(1, CancellationToken.None); Console.WriteLine("tiny: no failure?!"); }
        catch (HeapSnapshotException ex) { Console.WriteLine($"tiny: {ex.Message} lost={ex.EventsWereLost}"); }
        var names = HeapSummarizer.RenderTypeNames(snap2.Graph, new NestedTypeResolver());
        foreach (var n in names.Where(n => n.Contains('<') || n.Contains("closure") || n.Contains("cache")).Take(15)) Console.WriteLine("rendered: " + n);
        GC.KeepAlive(Sessions);
        return 0;
    }
}
