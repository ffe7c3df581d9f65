using LeakGuard.Sources;

namespace LeakGuard.Tests.Hosting.Fakes;

internal static class Samples
{
    public const long MiB = 1024 * 1024;

    public static MemorySample Memory(
        long managedHeap = 100 * MiB,
        long resident = 200 * MiB,
        long committed = 150 * MiB,
        long containerLimit = -1,
        long totalAvailable = 1024 * MiB,
        long oomKills = -1,
        TimeSpan totalPause = default,
        long workingSet = -1) => new()
        {
            GcIndex = 1,
            ManagedHeapBytes = managedHeap,
            CommittedBytes = committed,
            Gen2SizeBytes = managedHeap / 2,
            LohSizeBytes = managedHeap / 10,
            ResidentSetBytes = resident,
            ContainerUsageBytes = resident,
            ContainerLimitBytes = containerLimit,
            ContainerWorkingSetBytes = workingSet,
            ContainerOomKillCount = oomKills,
            TotalAvailableMemoryBytes = totalAvailable,
            ThreadCount = 20,
            ThreadPoolThreadCount = 4,
            TimerCount = 3,
            FinalizationPendingCount = 0,
            TotalPauseDuration = totalPause,
            TotalAllocatedBytes = 10 * MiB,
            GcHandleCount = 500,
        };

    public static GcSample Gc(long index, int generation, TimeSpan pause, long heapAfter = 100 * MiB) => new()
    {
        Index = index,
        Generation = generation,
        PauseDuration = pause,
        HeapSizeAfterBytes = heapAfter,
        Gen2SizeBytes = heapAfter / 2,
    };
}
