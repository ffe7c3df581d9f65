using LeakGuard.Cli;
using LeakGuard.Detection;

namespace LeakGuard.DetectionQuality;

/// <summary>
/// Replays the 109 Alibaba machine traces (whole-machine memory utilisation, one value per minute, about 8 days,
/// no leak labels) as real-world negatives, through exactly what <c>leakguard analyze FILE</c> runs with its
/// defaults (each trace's own timestamps, no limit). The files stay outside the repository: ../shared/data/alibaba-mem
/// from the repository root, or the directory in LEAKGUARD_ALIBABA_DIR.
/// </summary>
internal static class AlibabaReplay
{
    /// <summary>The hours each character of a machine's text plot covers.</summary>
    public const double ProfileHours = 3;

    /// <summary>Finds the traces' directory.</summary>
    /// <returns>The directory, or <see langword="null"/> when the traces are absent.</returns>
    public static string? Locate()
    {
        var fromEnvironment = Environment.GetEnvironmentVariable("LEAKGUARD_ALIBABA_DIR");
        if (!string.IsNullOrEmpty(fromEnvironment))
        {
            return Directory.Exists(fromEnvironment) ? fromEnvironment : null;
        }

        foreach (var start in new[] { Directory.GetCurrentDirectory(), AppContext.BaseDirectory })
        {
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                if (File.Exists(Path.Combine(dir.FullName, "LeakGuard.sln")))
                {
                    var candidate = Path.GetFullPath(Path.Combine(dir.FullName, "..", "shared", "data", "alibaba-mem"));
                    return Directory.Exists(candidate) ? candidate : null;
                }
            }
        }

        return null;
    }

    /// <summary>Lists the traces in a directory, in name order.</summary>
    /// <param name="directory">The directory.</param>
    /// <returns>The files.</returns>
    public static string[] Files(string directory) => Directory.GetFiles(directory, "m_*.csv").Order(StringComparer.Ordinal).ToArray();

    /// <summary>Replays every trace.</summary>
    /// <param name="directory">The traces' directory.</param>
    /// <returns>One outcome per machine, in name order.</returns>
    public static MachineOutcome[] Run(string directory)
    {
        var files = Files(directory);
        var results = new MachineOutcome[files.Length];
        Parallel.For(0, files.Length, new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount }, i => results[i] = Replay(files[i]));
        return results;
    }

    /// <summary>Replays one trace as <c>leakguard analyze FILE</c> does.</summary>
    /// <param name="file">The trace.</param>
    /// <returns>The outcome.</returns>
    public static MachineOutcome Replay(string file)
    {
        var error = new StringWriter();
        if (!SeriesAnalysis.TryAnalyze(AnalyzeCommand.Request([file, .. AnalyzeOptions.Extra]), error, out var result))
        {
            throw new InvalidDataException(error.ToString().Trim());
        }

        double? Hours(LeakVerdict? v) => v is null ? null : (v.EvaluatedAt - result.First).TotalHours;
        var (profile, low, high) = Profile(file, result.First);
        return new MachineOutcome(
            Path.GetFileNameWithoutExtension(file),
            (result.Last - result.First).TotalDays,
            Hours(result.Timeline.FirstOrDefault(v => v.State is LeakState.Suspected or LeakState.Leaking)),
            Hours(result.Timeline.FirstOrDefault(v => v.State == LeakState.Leaking)),
            result.Final?.State,
            profile,
            low,
            high);
    }

    // Floors per span, drawn with eight block heights: enough to tell a multi-day rise from a daily cycle at a glance.
    private static (string Profile, double Low, double High) Profile(string file, DateTimeOffset first)
    {
        SeriesCsvReader.TryRead(File.ReadLines(file), LeakSignals.ManagedHeap, out var points, out _);
        var floors = new Dictionary<int, double>();
        foreach (var point in points)
        {
            var span = (int)((point.Timestamp - first).TotalHours / ProfileHours);
            floors[span] = floors.TryGetValue(span, out var floor) ? Math.Min(floor, point.Value) : point.Value;
        }

        if (floors.Count == 0)
        {
            return (string.Empty, 0, 0);
        }

        var (low, high) = (floors.Values.Min(), floors.Values.Max());
        const string Blocks = "▁▂▃▄▅▆▇█";
        var text = new char[floors.Keys.Max() + 1];
        for (var i = 0; i < text.Length; i++)
        {
            text[i] = floors.TryGetValue(i, out var floor)
                ? Blocks[high > low ? (int)Math.Round((floor - low) / (high - low) * (Blocks.Length - 1)) : 0]
                : ' ';
        }

        return (new string(text), low, high);
    }
}
