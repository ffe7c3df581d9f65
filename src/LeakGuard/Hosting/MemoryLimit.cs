using LeakGuard.Sources;

namespace LeakGuard.Hosting;

/// <summary>Resolves the effective memory limit and the share of it in use (DESIGN §2 order). Pure.</summary>
internal static class MemoryLimit
{
    // cgroup v1 reports "no limit" as 9223372036854771712 (LONG_MAX rounded down to a page); anything this large is no limit.
    private const long NoLimitThreshold = 1L << 62;

    /// <summary>Returns the effective limit: the option, else the container (cgroup v2, then v1, as the probe reports it), else the GC's available memory.</summary>
    /// <param name="configured">The <c>LeakGuard:MemoryLimitBytes</c> option.</param>
    /// <param name="sample">The latest sample.</param>
    /// <returns>The limit in bytes, or <see langword="null"/> when none is known.</returns>
    public static long? Resolve(long? configured, in MemorySample sample)
    {
        if (configured is > 0)
        {
            return configured;
        }

        if (sample.ContainerLimitBytes is > 0 and < NoLimitThreshold)
        {
            return sample.ContainerLimitBytes;
        }

        if (sample.TotalAvailableMemoryBytes is > 0 and < NoLimitThreshold)
        {
            return sample.TotalAvailableMemoryBytes;
        }

        return null;
    }

    /// <summary>Returns the share of the limit in use: resident memory (what the OOM killer weighs for one process), else the container's usage.</summary>
    /// <param name="sample">The latest sample.</param>
    /// <param name="limitBytes">The effective limit.</param>
    /// <returns>The utilisation (may exceed 1), or NaN when no usage is known.</returns>
    public static double Utilization(in MemorySample sample, long limitBytes)
    {
        var used = sample.ResidentSetBytes >= 0 ? sample.ResidentSetBytes : sample.ContainerUsageBytes;
        return used >= 0 && limitBytes > 0 ? (double)used / limitBytes : double.NaN;
    }
}
