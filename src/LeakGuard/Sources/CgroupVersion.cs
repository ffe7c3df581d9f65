namespace LeakGuard.Sources;

/// <summary>Which cgroup hierarchy supplies the process's memory accounting.</summary>
internal enum CgroupVersion
{
    /// <summary>No cgroup memory controller was found (not Linux, not in a container, or not mounted).</summary>
    None = 0,

    /// <summary>cgroup v1: <c>memory.limit_in_bytes</c>, <c>memory.usage_in_bytes</c>, <c>memory.oom_control</c>.</summary>
    V1 = 1,

    /// <summary>cgroup v2 (unified): <c>memory.max</c>, <c>memory.current</c>, <c>memory.events</c>.</summary>
    V2 = 2,
}
