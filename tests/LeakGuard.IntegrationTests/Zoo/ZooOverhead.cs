using System.Globalization;
using System.Text.RegularExpressions;

namespace LeakGuard.IntegrationTests.Zoo;

/// <summary>Turns a child's <c>ZOO-OVERHEAD</c> line and LeakGuard's snapshot log lines into one readable sentence.</summary>
internal static partial class ZooOverhead
{
    public static string Describe(ZooLine? overhead, string log)
    {
        if (overhead is null)
        {
            return "(no ZOO-OVERHEAD line: the child did not exit cleanly)";
        }

        var seconds = overhead.T;
        var cpu = overhead.Number("cpuSeconds") ?? double.NaN;
        var pauses = SnapshotPause().Matches(log).Select(m => double.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture)).ToList();
        var samples = overhead.Data.TryGetProperty("memorySamplesHeld", out var held) ? held.GetInt32().ToString(CultureInfo.InvariantCulture) : "?";
        return string.Create(CultureInfo.InvariantCulture,
            $"process CPU {cpu:F1} s in {seconds:F0} s ({100 * cpu / seconds:F0} % of one core, workload included), " +
            $"GC pause {overhead.Number("gcPauseSeconds"):F2} s over {overhead.Number("gen0"):F0}/{overhead.Number("gen1"):F0}/{overhead.Number("gen2"):F0} gen0/1/2 collections, " +
            $"peak RSS {overhead.Number("peakRss") / (1024 * 1024):F0} MB, LeakGuard holds {samples} memory samples, " +
            $"{pauses.Count} heap snapshot(s) pausing the app {pauses.Sum():F0} ms in total");
    }

    [GeneratedRegex(@"Heap snapshot taken: .*\(pause (\d+(?:\.\d+)?) ms\)")]
    private static partial Regex SnapshotPause();
}
