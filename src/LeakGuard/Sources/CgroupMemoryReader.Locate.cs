namespace LeakGuard.Sources;

/// <content>Finding the process's memory cgroup from <c>/proc/self/cgroup</c> and <c>/proc/self/mountinfo</c>.</content>
internal sealed partial class CgroupMemoryReader
{
    /// <summary>Finds the memory cgroup directory. Prefers v2 when its hierarchy has the memory controller
    /// (a hybrid host may mount v2 without it, as the build machine does), then v1, then none.</summary>
    /// <param name="root">The file-system root.</param>
    /// <returns>The location; <see cref="CgroupVersion.None"/> when nothing usable was found.</returns>
    internal static CgroupLocation Locate(string root)
    {
        try
        {
            var cgroupFile = System.IO.Path.Combine(root, "proc/self/cgroup");
            var mountinfoFile = System.IO.Path.Combine(root, "proc/self/mountinfo");
            if (!File.Exists(cgroupFile) || !File.Exists(mountinfoFile))
            {
                return default;
            }

            var memberships = File.ReadAllLines(cgroupFile);
            var mounts = File.ReadAllLines(mountinfoFile);
            return TryLocate(root, memberships, mounts, CgroupVersion.V2, out var v2) ? v2
                : TryLocate(root, memberships, mounts, CgroupVersion.V1, out var v1) ? v1
                : default;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            return default;
        }
    }

    private static bool TryLocate(string root, string[] memberships, string[] mounts, CgroupVersion version, out CgroupLocation location)
    {
        location = default;
        if (FindMembership(memberships, version) is not { } cgroupPath || FindMount(mounts, version) is not var (mountRoot, mountPoint))
        {
            return false;
        }

        var mountDirectory = Join(root, mountPoint);

        // The process's path is relative to the hierarchy root; the mount may expose only a sub-tree
        // (a container sees its own cgroup mounted at /sys/fs/cgroup with mount root = its path).
        var relative = mountRoot == "/" ? cgroupPath
            : cgroupPath.StartsWith(mountRoot, StringComparison.Ordinal) ? cgroupPath[mountRoot.Length..]
            : null;
        var directory = relative is null ? mountDirectory : Join(mountDirectory, relative);
        if (!HasMemoryFiles(directory, version))
        {
            // The path from another namespace's point of view: the mounted tree is then our own cgroup.
            directory = mountDirectory;
            if (!HasMemoryFiles(directory, version))
            {
                return false;
            }
        }

        var limitDirectories = new List<string>();
        for (var d = directory; d is not null; d = System.IO.Path.GetDirectoryName(d))
        {
            limitDirectories.Add(d);
            if (string.Equals(d.TrimEnd('/'), mountDirectory.TrimEnd('/'), StringComparison.Ordinal))
            {
                break;
            }
        }

        location = new CgroupLocation(version, directory, limitDirectories);
        return true;
    }

    private static bool HasMemoryFiles(string directory, CgroupVersion version) => version == CgroupVersion.V2
        ? File.Exists(System.IO.Path.Combine(directory, "memory.current")) || File.Exists(System.IO.Path.Combine(directory, "memory.max"))
        : File.Exists(System.IO.Path.Combine(directory, "memory.usage_in_bytes")) || File.Exists(System.IO.Path.Combine(directory, "memory.limit_in_bytes"));

    /// <summary>Finds the process's path in the hierarchy: <c>0::/path</c> for v2, <c>N:…,memory,…:/path</c> for v1.</summary>
    private static string? FindMembership(string[] lines, CgroupVersion version)
    {
        foreach (var line in lines)
        {
            var first = line.IndexOf(':', StringComparison.Ordinal);
            var second = first < 0 ? -1 : line.IndexOf(':', first + 1);
            if (second < 0)
            {
                continue;
            }

            var controllers = line[(first + 1)..second];
            var matches = version == CgroupVersion.V2
                ? line[..first] == "0" && controllers.Length == 0
                : ContainsItem(controllers, "memory");
            if (matches)
            {
                return line[(second + 1)..];
            }
        }

        return null;
    }

    /// <summary>Finds the hierarchy's mount: <c>id parent major:minor root mount-point options … - fstype source super-options</c>.</summary>
    private static (string Root, string MountPoint)? FindMount(string[] lines, CgroupVersion version)
    {
        foreach (var line in lines)
        {
            var separator = line.IndexOf(" - ", StringComparison.Ordinal);
            if (separator < 0)
            {
                continue;
            }

            var left = line[..separator].Split(' ');
            var right = line[(separator + 3)..].Split(' ');
            if (left.Length < 5 || right.Length < 3)
            {
                continue;
            }

            var matches = version == CgroupVersion.V2
                ? right[0] == "cgroup2"
                : right[0] == "cgroup" && ContainsItem(right[2], "memory");
            if (matches)
            {
                return (Unescape(left[3]), Unescape(left[4]));
            }
        }

        return null;
    }

    private static bool ContainsItem(string list, string item) => Array.IndexOf(list.Split(','), item) >= 0;

    /// <summary>mountinfo escapes space, tab, newline and backslash as three-digit octal (<c>\040</c>).</summary>
    private static string Unescape(string field)
    {
        if (!field.Contains('\\', StringComparison.Ordinal))
        {
            return field;
        }

        var builder = new System.Text.StringBuilder(field.Length);
        for (var i = 0; i < field.Length; i++)
        {
            if (field[i] == '\\' && i + 3 < field.Length && IsOctal(field[i + 1]) && IsOctal(field[i + 2]) && IsOctal(field[i + 3]))
            {
                builder.Append((char)(((field[i + 1] - '0') * 64) + ((field[i + 2] - '0') * 8) + (field[i + 3] - '0')));
                i += 3;
            }
            else
            {
                builder.Append(field[i]);
            }
        }

        return builder.ToString();
    }

    private static bool IsOctal(char c) => c is >= '0' and <= '7';

    private static string Join(string root, string absolute) => System.IO.Path.Combine(root, absolute.TrimStart('/'));
}
