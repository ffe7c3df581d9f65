using System.Globalization;

namespace LeakGuard.Overhead;

/// <summary>
/// CPU time per thread of the own process from <c>/proc/self/task/*/schedstat</c> (nanoseconds on the CPU), grouped
/// by thread name: which thread (the workload's, the finalizer, thread-pool workers, the JIT's tiering, the GC's
/// background thread) spent what, so LeakGuard's cost can be attributed without a profiler.
/// </summary>
internal static class ThreadCpu
{
    /// <summary>Reads each thread's name and CPU nanoseconds; the main thread is named "main".</summary>
    public static Dictionary<int, (string Name, long Nanoseconds)> Snapshot()
    {
        var result = new Dictionary<int, (string, long)>();
        var pid = Environment.ProcessId;
        try
        {
            foreach (var dir in Directory.EnumerateDirectories("/proc/self/task"))
            {
                try
                {
                    var tid = int.Parse(Path.GetFileName(dir), CultureInfo.InvariantCulture);
                    var ns = long.Parse(File.ReadAllText(Path.Combine(dir, "schedstat")).Split(' ')[0], CultureInfo.InvariantCulture);
                    var name = tid == pid ? "main" : File.ReadAllText(Path.Combine(dir, "comm")).Trim();
                    result[tid] = (Group(name), ns);
                }
                catch (IOException)
                {
                    // The thread ended meanwhile.
                }
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
        }

        return result;
    }

    /// <summary>The CPU nanoseconds each group of live threads spent between two snapshots.</summary>
    public static SortedDictionary<string, long> Groups(Dictionary<int, (string Name, long Nanoseconds)> before, Dictionary<int, (string Name, long Nanoseconds)> after)
    {
        var groups = new SortedDictionary<string, long>(StringComparer.Ordinal);
        foreach (var (tid, (name, ns)) in after)
        {
            var start = before.TryGetValue(tid, out var b) ? b.Nanoseconds : 0;
            groups[name] = groups.GetValueOrDefault(name) + (ns - start);
        }

        return groups;
    }

    /// <summary>Groups and nanoseconds as "group=ns,group=ns" (the form a child prints).</summary>
    public static string Format(IEnumerable<KeyValuePair<string, long>> groups) =>
        string.Join(',', groups.Select(g => string.Create(CultureInfo.InvariantCulture, $"{g.Key}={g.Value}")));

    /// <summary>Reads "group=ns,group=ns" back.</summary>
    public static Dictionary<string, long> Parse(string groups) =>
        groups.Split(',', StringSplitOptions.RemoveEmptyEntries)
            .Select(x => x.Split('='))
            .ToDictionary(x => x[0], x => long.Parse(x[1], CultureInfo.InvariantCulture));

    private static string Group(string name)
    {
        // Thread names are cut at 15 characters by the kernel; numbered ones (".NET TP Worker", ".NET BGC") are grouped.
        name = name.Replace(' ', '_').Replace('=', '_').Replace(',', '_').Replace(';', '_');
        return name.TrimEnd('0', '1', '2', '3', '4', '5', '6', '7', '8', '9', '_');
    }
}
