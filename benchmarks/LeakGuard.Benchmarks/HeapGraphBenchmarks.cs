using BenchmarkDotNet.Attributes;
using LeakGuard.Investigation;

namespace LeakGuard.Benchmarks;

/// <summary>
/// The snapshot's own work without the runtime's pause: feeding a million synthetic heap-dump records
/// (nodes with ~1.5 references each, streamed partly out of address order like region heaps) into the builder,
/// building the CSR graph, summarising it, the breadth-first retention search, and the census of retention chains.
/// Run: dotnet run -c Release --project benchmarks/LeakGuard.Benchmarks -- --filter *HeapGraph*
/// </summary>
[MemoryDiagnoser]
public class HeapGraphBenchmarks
{
    private ulong[] _addresses = [];
    private int[] _firstTarget = [];
    private HeapGraph _graph = null!;
    private string[] _names = [];

    [Params(1_000_000)]
    public int Objects { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        // Two "regions" streamed high one first, so the builder must sort; addresses 32 bytes apart.
        _addresses = new ulong[Objects];
        var half = Objects / 2;
        for (var i = 0; i < Objects; i++)
        {
            _addresses[i] = i < half ? 0x7f00_0000_0000UL + ((ulong)i * 32) : 0x7e00_0000_0000UL + ((ulong)(i - half) * 32);
        }

        _firstTarget = new int[Objects];
        var random = new Random(42);
        for (var i = 0; i < Objects; i++)
        {
            _firstTarget[i] = random.Next(Objects);
        }

        _graph = BuildGraph();
        _names = HeapSummarizer.RenderTypeNames(_graph, resolver: null);
        var census = PathCensus.Take(_graph, _names, own: null);
        Console.WriteLine(census is null ? "// census: more distinct chains than its bound (one per four objects): no census" : $"// census: {census.Chains} distinct chains");
    }

    [Benchmark]
    public int Build() => BuildGraph().NodeCount;

    private HeapGraph BuildGraph()
    {
        var builder = new HeapGraphBuilder();
        builder.AddType(1, "MyApp.Session");
        builder.AddType(2, "System.Byte[]");
        builder.AddType(3, "System.Collections.Generic.Dictionary`2[System.Guid,MyApp.Session]");
        builder.AddRoot(_addresses[0], RootKind.StaticField, "Sessions");
        for (var i = 0; i < _addresses.Length; i++)
        {
            // Every other object references its neighbour and a random one: 1.5 references per object.
            builder.AddNode(_addresses[i], 24, (ulong)(1 + (i % 3)), i % 2 == 0 ? 2 : 1);
        }

        for (var i = 0; i < _addresses.Length; i++)
        {
            builder.AddEdge(_addresses[(i + 1) % _addresses.Length]);
            if (i % 2 == 0)
            {
                builder.AddEdge(_addresses[_firstTarget[i]]);
            }
        }

        return builder.Build();
    }

    [Benchmark]
    public HeapSnapshotSummary Summarize() => HeapSummarizer.Summarize(_graph, _names, DateTimeOffset.UnixEpoch, TimeSpan.Zero);

    /// <summary>The census of retention chains an investigation takes of each snapshot (the BFS included); its chain count, or -1 past its bound.</summary>
    [Benchmark]
    public int Census() => PathCensus.Take(_graph, _names, own: null)?.Chains ?? -1;

    [Benchmark]
    public int RetentionPaths() => RetentionPathFinder.Find(_graph, _names, ["MyApp.Session", "Byte[]"]).Count;
}
