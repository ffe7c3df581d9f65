using System.Globalization;

namespace LeakGuard.SnapshotTarget;

/// <summary>
/// The process's peak resident set (Linux's <c>VmHWM</c>), reset to the current one before a measured step: the peak
/// of everything the step holds at once (session buffer, graph arrays, the parser's garbage before its collection).
/// </summary>
internal static class PeakResident
{
    /// <summary>Resets the peak to the current resident set (<c>/proc/self/clear_refs</c>, Linux 4.0 and later).</summary>
    /// <returns>The resident set now, in bytes.</returns>
    public static long Reset()
    {
        File.WriteAllText("/proc/self/clear_refs", "5");
        return Field("VmRSS:");
    }

    /// <summary>Reads the peak resident set since the last <see cref="Reset"/>.</summary>
    /// <returns>The bytes.</returns>
    public static long Read() => Field("VmHWM:");

    private static long Field(string name)
    {
        var line = File.ReadLines("/proc/self/status").First(l => l.StartsWith(name, StringComparison.Ordinal));
        return long.Parse(line[name.Length..].Trim().Split(' ')[0], CultureInfo.InvariantCulture) * 1024;
    }
}
