using NUnit.Framework;
// Two zoo children run side by side (one per core on the 2-core CI machine). Three did, as the children mostly wait,
// but a neighbour's heap snapshot or garbage workload takes the CPU a leak's detection needs: under urgency's
// four-times limit a 1.5-MiB/s leak pages after ~35-45 s alone, and in a clean-clone CI run with three side by side
// id-registry reached Leaking at 60.2 s, past the 60-s deadline. Only fixtures marked [Parallelizable] are affected.
[assembly: LevelOfParallelism(2)]

namespace LeakGuard.IntegrationTests.Zoo;

/// <summary>Marker for the assembly-level parallelism setting above.</summary>
internal static class ZooParallelism
{
}
