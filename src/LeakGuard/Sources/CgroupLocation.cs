namespace LeakGuard.Sources;

/// <summary>Where the process's memory cgroup lives.</summary>
/// <param name="Version">The hierarchy; <see cref="CgroupVersion.None"/> when none was found.</param>
/// <param name="Directory">The process's cgroup directory.</param>
/// <param name="LimitDirectories">The directory and its ancestors up to the hierarchy's mount point, nearest first.</param>
internal readonly record struct CgroupLocation(CgroupVersion Version, string Directory, IReadOnlyList<string> LimitDirectories);
