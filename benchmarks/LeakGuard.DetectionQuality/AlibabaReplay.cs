using System.Globalization;
using System.Text;
using LeakGuard.Detection;

namespace LeakGuard.DetectionQuality;

/// <summary>
/// Replays the 109 Alibaba machine traces (whole-machine memory utilisation, one value per minute, about 8 days,
/// no leak labels) as real-world negatives. The files stay outside the repository: ../shared/data/alibaba-mem
/// from the repository root, or the directory in LEAKGUARD_ALIBABA_DIR.
/// </summary>
internal static class AlibabaReplay
{
    public static void Run(StringBuilder report, TimeSpan warmUp)
    {
        var directory = Locate();
        report.AppendLine("### Real-world negatives: Alibaba cluster-trace-v2018 machines (109 × ~8 days, 1-min floors)");
        report.AppendLine();
        if (directory is null)
        {
            report.AppendLine("Skipped: the traces were not found (set LEAKGUARD_ALIBABA_DIR or place them at ../shared/data/alibaba-mem next to the repository).");
            report.AppendLine();
            return;
        }

        var files = Directory.GetFiles(directory, "m_*.csv").OrderBy(f => f, StringComparer.Ordinal).ToArray();
        const double Dt = 60;
        const double Limit = 100_000_000; // 100 % utilisation
        var settings = DetectorSettings.Create(TimeSpan.FromMinutes(10), TimeSpan.FromSeconds(Dt), warmUp, new DetectionOptions());
        var window = settings.BucketWidths[0].TotalSeconds * settings.PointsPerHorizon;
        var every = settings.BucketWidths[0].TotalSeconds;
        var results = new (string Machine, double Days, double[] First)[files.Length];
        string[] names = [];
        Parallel.For(0, files.Length, new ParallelOptions { MaxDegreeOfParallelism = 2 }, i =>
        {
            var (t, v) = Read(files[i]);
            var baseline = v.Length > 0 ? v[0] : 1;
            IAlarmMethod[] methods =
            [
                new LeakGuardMethod(settings, "machine_memory", Limit),
                new MemwatchMethod(warmUp.TotalSeconds),
                new OlsPValueMethod(window, Dt, every, warmUp.TotalSeconds, baseline),
                new ThresholdMethod(Limit),
                new RegressionGrowthMethod(Dt, every, warmUp.TotalSeconds, baseline),
            ];
            names = methods.Select(m => m.Name).ToArray();
            var first = new double[methods.Length];
            for (var m = 0; m < methods.Length; m++)
            {
                methods[m].Reset();
                first[m] = double.NaN;
                for (var k = 0; k < t.Length; k++)
                {
                    if (methods[m].Step(t[k] - t[0], v[k]))
                    {
                        first[m] = t[k] - t[0];
                        break;
                    }
                }
            }

            results[i] = (Path.GetFileNameWithoutExtension(files[i]), t.Length > 0 ? (t[^1] - t[0]) / 86400 : 0, first);
        });

        var totalDays = results.Sum(r => r.Days);
        report.AppendLine(CultureInfo.InvariantCulture, $"{files.Length} machines, {totalDays:0} machine-days. Replayed like `leakguard analyze` (Window 10 min → finest bucket 2 min, horizons 2.1 h … 23 days of 2-min…8.5-h buckets). A flag is the first `Leaking` (or the baseline's first alarm).");
        report.AppendLine();
        report.AppendLine("| method | machines flagged | flags per machine-day |");
        report.AppendLine("|---|---:|---:|");
        for (var m = 0; m < names.Length; m++)
        {
            var flagged = results.Count(r => !double.IsNaN(r.First[m]));
            report.AppendLine(CultureInfo.InvariantCulture, $"| {names[m]} | {flagged} / {files.Length} ({100.0 * flagged / files.Length:0.#} %) | {flagged / totalDays:0.0000} |");
        }

        report.AppendLine();
        var leakGuardFlags = results.Where(r => !double.IsNaN(r.First[0])).Select(r => $"{r.Machine} (after {r.First[0] / 3600:0.0} h)").ToArray();
        report.AppendLine(CultureInfo.InvariantCulture, $"Machines LeakGuard flagged: {(leakGuardFlags.Length == 0 ? "none" : string.Join(", ", leakGuardFlags))}.");
        report.AppendLine();
    }

    private static string? Locate()
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

    private static (double[] T, double[] V) Read(string path)
    {
        var t = new List<double>();
        var v = new List<double>();
        foreach (var line in File.ReadLines(path))
        {
            var comma = line.IndexOf(',', StringComparison.Ordinal);
            if (comma < 0 || !double.TryParse(line.AsSpan(0, comma), NumberStyles.Float, CultureInfo.InvariantCulture, out var ts))
            {
                continue;
            }

            t.Add(ts);
            v.Add(double.Parse(line.AsSpan(comma + 1), NumberStyles.Float, CultureInfo.InvariantCulture));
        }

        return (t.ToArray(), v.ToArray());
    }
}
