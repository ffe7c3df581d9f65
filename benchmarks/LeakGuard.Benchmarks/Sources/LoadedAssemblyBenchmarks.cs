using System.Reflection;
using System.Reflection.Emit;
using BenchmarkDotNet.Attributes;
using LeakGuard.Sources;

namespace LeakGuard.Benchmarks.Sources;

/// <summary>
/// The loaded-assembly signal's per-sample read (counts kept from load events) against enumerating every assembly, at
/// the process's own count and after a generated-assembly leak added 2,000 more.
/// </summary>
[MemoryDiagnoser]
public class LoadedAssemblyBenchmarks
{
    private static readonly List<AssemblyBuilder> Generated = [];
    private LoadedAssemblyTracker _tracker = null!;

    /// <summary>Gets or sets the number of generated assemblies loaded before measuring.</summary>
    [Params(0, 2000)]
    public int GeneratedAssemblies { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        // Assemblies never unload: the larger case adds to what the smaller one left.
        while (Generated.Count < GeneratedAssemblies)
        {
            Generated.Add(AssemblyBuilder.DefineDynamicAssembly(new AssemblyName("LeakGuardBenchmarks.Generated" + Generated.Count), AssemblyBuilderAccess.Run));
        }

        _tracker = new LoadedAssemblyTracker(AppDomain.CurrentDomain, TimeProvider.System);
    }

    [GlobalCleanup]
    public void Cleanup() => _tracker.Dispose();

    [Benchmark(Baseline = true)]
    public long Tracker_read() => _tracker.Read().Loaded;

    [Benchmark]
    public long Enumerate_every_assembly()
    {
        long dynamic = 0;
        foreach (var assembly in AppDomain.CurrentDomain.GetAssemblies())
        {
            dynamic += assembly.IsDynamic || assembly.IsCollectible ? 1 : 0;
        }

        return dynamic;
    }
}
