using System.Diagnostics;
using System.Globalization;

namespace LeakGuard.IntegrationTests.Oom;

/// <summary>
/// A child cgroup (v1 memory controller) with a memory limit and no swap, created under the test process's own memory
/// cgroup for one test and removed afterwards. Creating it needs the memory controller and write access to it.
/// </summary>
internal sealed class MemoryCgroup : IDisposable
{
    private MemoryCgroup(string directory) => Directory = directory;

    /// <summary>Gets the cgroup's directory.</summary>
    public string Directory { get; }

    /// <summary>Gets the file a process writes its pid to, to join the cgroup.</summary>
    public string ProcsFile => Path.Combine(Directory, "cgroup.procs");

    /// <summary>Gets how many processes the kernel's OOM killer killed in the cgroup.</summary>
    public long OomKillCount
    {
        get
        {
            foreach (var line in File.ReadAllLines(Path.Combine(Directory, "memory.oom_control")))
            {
                if (line.StartsWith("oom_kill ", StringComparison.Ordinal))
                {
                    return long.Parse(line["oom_kill ".Length..], CultureInfo.InvariantCulture);
                }
            }

            return -1;
        }
    }

    /// <summary>Creates the cgroup, or says why it cannot be (the caller skips the test with that reason).</summary>
    /// <param name="limitBytes">The memory limit (memory and memory+swap alike).</param>
    /// <param name="cgroup">The cgroup, when created.</param>
    /// <returns>Why it could not be created, or <see langword="null"/>.</returns>
    public static string? TryCreate(long limitBytes, out MemoryCgroup? cgroup)
    {
        cgroup = null;
        if (!OperatingSystem.IsLinux())
        {
            return "cgroups exist on Linux only.";
        }

        var membership = File.ReadAllLines("/proc/self/cgroup")
            .Select(line => line.Split(':', 3))
            .FirstOrDefault(parts => parts.Length == 3 && parts[1].Split(',').Contains("memory"));
        const string mount = "/sys/fs/cgroup/memory";
        if (membership is null || !File.Exists(Path.Combine(mount, "memory.limit_in_bytes")))
        {
            return "no cgroup v1 memory controller is mounted at /sys/fs/cgroup/memory (a cgroup v2-only host, or no memory controller).";
        }

        var parent = Path.Combine(mount, membership[2].TrimStart('/'));
        var directory = Path.Combine(parent, "leakguard-oom-" + Guid.NewGuid().ToString("N")[..12]);
        try
        {
            System.IO.Directory.CreateDirectory(directory);
            var created = new MemoryCgroup(directory);
            try
            {
                // The memory limit first: memory+swap may never be below it.
                File.WriteAllText(Path.Combine(directory, "memory.limit_in_bytes"), limitBytes.ToString(CultureInfo.InvariantCulture));
                var swapLimit = Path.Combine(directory, "memory.memsw.limit_in_bytes");
                if (File.Exists(swapLimit))
                {
                    File.WriteAllText(swapLimit, limitBytes.ToString(CultureInfo.InvariantCulture));
                }
            }
            catch
            {
                created.Dispose();
                throw;
            }

            cgroup = created;
            return null;
        }
        catch (Exception e) when (e is UnauthorizedAccessException or IOException)
        {
            return $"cannot create a child memory cgroup under {parent}: {e.Message} (needs write access to the memory controller).";
        }
    }

    /// <summary>Removes the cgroup: the kernel refuses while a process is in it, so any left is killed first.</summary>
    public void Dispose()
    {
        var deadline = Stopwatch.StartNew();
        while (System.IO.Directory.Exists(Directory) && deadline.Elapsed < TimeSpan.FromSeconds(30))
        {
            try
            {
                foreach (var pid in File.ReadAllLines(ProcsFile))
                {
                    try
                    {
                        using var process = Process.GetProcessById(int.Parse(pid, CultureInfo.InvariantCulture));
                        process.Kill(entireProcessTree: true);
                        process.WaitForExit(5_000);
                    }
                    catch (ArgumentException)
                    {
                        // Already gone.
                    }
                }

                System.IO.Directory.Delete(Directory);
            }
            catch (IOException)
            {
                // Still busy (a dying process); the loop tries again until the deadline.
                Thread.Sleep(50);
            }
        }
    }
}
