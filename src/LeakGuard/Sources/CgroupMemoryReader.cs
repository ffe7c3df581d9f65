namespace LeakGuard.Sources;

/// <summary>
/// Reads the memory usage, limit and OOM-kill count of the cgroup the process runs in (v2, v1 or none),
/// from files opened once at construction and re-read from offset 0 on every call.
/// Never throws: a value that cannot be read is -1. Not thread-safe: one reader at a time.
/// </summary>
/// <remarks>
/// The effective limit is the smallest limit of the process's cgroup and its ancestors up to the
/// hierarchy's mount point, because a limit set on a parent (a Kubernetes pod) binds the child (a container).
/// </remarks>
internal sealed partial class CgroupMemoryReader : IDisposable
{
    /// <summary>cgroup v1 writes "no limit" as a page-rounded <c>long.MaxValue</c> (9223372036854771712);
    /// any value this large is treated as no limit, whatever the page size.</summary>
    internal const long V1NoLimitThreshold = 1L << 62;

    // memory.stat is ~0.8–3 KB (v1 lists every counter twice, local and hierarchical; v2 has ~40 lines).
    private const int StatBufferBytes = 8192;

    private readonly ProcFile? _usage;
    private readonly ProcFile? _oom;

    // One entry per level (the process's cgroup first, then its ancestors), null where a file is missing.
    private readonly ProcFile?[] _limits;
    private readonly ProcFile?[] _levelUsage;
    private readonly ProcFile?[] _levelStats;
    private readonly byte[] _inactiveFileKey;
    private int _bindingLevel;

    /// <summary>Initializes a new instance of the <see cref="CgroupMemoryReader"/> class.</summary>
    /// <param name="rootDirectory">The file-system root under which <c>/proc/self</c> and the cgroup mounts are looked up;
    /// <c>"/"</c> for the real system, a fixture directory in tests.</param>
    public CgroupMemoryReader(string rootDirectory = "/")
    {
        _limits = [];
        _levelUsage = [];
        _levelStats = [];
        _inactiveFileKey = [];
        var location = Locate(rootDirectory);
        Version = location.Version;
        if (location.Version == CgroupVersion.None)
        {
            return;
        }

        Directory = location.Directory;
        var v2 = location.Version == CgroupVersion.V2;
        _usage = ProcFile.TryOpen(System.IO.Path.Combine(location.Directory, v2 ? "memory.current" : "memory.usage_in_bytes"), 64);
        _oom = ProcFile.TryOpen(System.IO.Path.Combine(location.Directory, v2 ? "memory.events" : "memory.oom_control"), 512);
        var levels = location.LimitDirectories;
        _limits = new ProcFile?[levels.Count];
        _levelUsage = new ProcFile?[levels.Count];
        _levelStats = new ProcFile?[levels.Count];
        for (var i = 0; i < levels.Count; i++)
        {
            _limits[i] = ProcFile.TryOpen(System.IO.Path.Combine(levels[i], v2 ? "memory.max" : "memory.limit_in_bytes"), 64);
            _levelUsage[i] = ProcFile.TryOpen(System.IO.Path.Combine(levels[i], v2 ? "memory.current" : "memory.usage_in_bytes"), 64);
            _levelStats[i] = ProcFile.TryOpen(System.IO.Path.Combine(levels[i], "memory.stat"), StatBufferBytes);
        }

        // v1's memory.stat has the level's own counters and hierarchical "total_" ones; usage_in_bytes is hierarchical.
        _inactiveFileKey = v2 ? "inactive_file"u8.ToArray() : "total_inactive_file"u8.ToArray();
    }

    /// <summary>Gets the hierarchy in use.</summary>
    public CgroupVersion Version { get; }

    /// <summary>Gets the process's cgroup directory, or <see langword="null"/> when <see cref="Version"/> is <see cref="CgroupVersion.None"/>.</summary>
    public string? Directory { get; }

    /// <summary>Reads the cgroup's current memory usage.</summary>
    /// <returns>The usage in bytes, or -1 when unavailable.</returns>
    public long ReadUsageBytes() =>
        _usage is not null && ProcfsText.TryParseNonNegative(_usage.Read(), out var value) ? value : -1;

    /// <summary>Reads the effective memory limit.</summary>
    /// <returns>The limit in bytes, or -1 when there is none (literal <c>max</c>, the v1 sentinel) or it cannot be read.</returns>
    public long ReadLimitBytes()
    {
        var effective = long.MaxValue;
        var binding = 0;
        for (var i = 0; i < _limits.Length; i++)
        {
            var limit = _limits[i] is { } file ? ParseLimit(file.Read()) : -1;
            if (limit >= 0 && limit < effective)
            {
                effective = limit;
                binding = i;
            }
        }

        _bindingLevel = binding;
        return effective == long.MaxValue ? -1 : effective;
    }

    /// <summary>
    /// Reads the working set of the cgroup whose limit binds (as of the last <see cref="ReadLimitBytes"/>; the process's
    /// own cgroup before that or without a limit): its usage minus the inactive file pages the kernel reclaims before it
    /// kills anything (v2 <c>memory.current</c> − <c>inactive_file</c>, v1 <c>memory.usage_in_bytes</c> −
    /// <c>total_inactive_file</c>), the figure the container runtime compares to the limit.
    /// </summary>
    /// <returns>The working set in bytes; the usage alone when memory.stat is unreadable; -1 when the usage is.</returns>
    public long ReadWorkingSetBytes()
    {
        var level = _bindingLevel;
        if (level >= _levelUsage.Length || _levelUsage[level] is not { } usageFile
            || !ProcfsText.TryParseNonNegative(usageFile.Read(), out var usage))
        {
            return -1;
        }

        var inactive = _levelStats[level] is { } stat ? ProcfsText.ParseKeyedValue(stat.Read(), _inactiveFileKey) : -1;
        return inactive >= 0 && inactive <= usage ? usage - inactive : usage;
    }

    /// <summary>Reads how many processes the kernel's OOM killer has killed in this cgroup.</summary>
    /// <returns>The count, or -1 when unavailable (no file, or a v1 kernel older than 4.13 without the line).</returns>
    public long ReadOomKillCount() => _oom is null ? -1 : ProcfsText.ParseKeyedValue(_oom.Read(), "oom_kill"u8);

    /// <summary>Parses a limit file's content.</summary>
    /// <param name="text">The content of <c>memory.max</c> or <c>memory.limit_in_bytes</c>.</param>
    /// <returns>The limit, or -1 for no limit or unreadable content.</returns>
    internal static long ParseLimit(ReadOnlySpan<byte> text) =>
        ProcfsText.TryParseNonNegative(text, out var value) && value < V1NoLimitThreshold ? value : -1;

    /// <inheritdoc />
    public void Dispose()
    {
        _usage?.Dispose();
        _oom?.Dispose();
        foreach (var file in (ProcFile?[])[.. _limits, .. _levelUsage, .. _levelStats])
        {
            file?.Dispose();
        }
    }
}
