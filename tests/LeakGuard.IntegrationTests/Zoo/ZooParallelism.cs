using NUnit.Framework;
// The zoo's children mostly wait (their leaks run at a few MB/s), so three run side by side on a
// 2-core CI machine; NUnit's default would be two. Only fixtures marked [Parallelizable] are affected.
[assembly: LevelOfParallelism(3)]

namespace LeakGuard.IntegrationTests.Zoo;

/// <summary>Marker for the assembly-level parallelism setting above.</summary>
internal static class ZooParallelism
{
}
