using System.Collections.Concurrent;
using System.Globalization;
using System.Text;

namespace LeakGuard.IntegrationTests.Zoo;

/// <summary>
/// Collects the zoo's results and renders docs/detection-quality-real.md.
/// Regenerate with: <c>LEAKGUARD_ZOO_REPORT=docs/detection-quality-real.md dotnet test tests/LeakGuard.IntegrationTests -c Release --filter "FullyQualifiedName~Zoo"</c>.
/// </summary>
internal static class ZooQualityTable
{
    public const string OutputVariable = "LEAKGUARD_ZOO_REPORT";

    /// <summary>The control whose CPU is compared with and without LeakGuard: the one with the most collections (~30/s).</summary>
    public const string OverheadScenario = "short-lived-garbage";

    private static readonly ConcurrentDictionary<string, ZooRunResult> s_results = new(StringComparer.Ordinal);
    private static ZooLine? s_baseline;

    public static void SetBaseline(ZooLine? overhead) => s_baseline = overhead;

    public static void Add(ZooRunResult result) => s_results[result.Expectation.Name] = result;

    /// <summary>Writes the table when <see cref="OutputVariable"/> names a file (relative paths from the repository root).</summary>
    /// <returns>The path written, or <see langword="null"/>.</returns>
    public static string? WriteIfRequested(TimeSpan suiteDuration)
    {
        var target = Environment.GetEnvironmentVariable(OutputVariable);
        if (string.IsNullOrWhiteSpace(target) || s_results.IsEmpty)
        {
            return null;
        }

        var path = Path.IsPathRooted(target) ? target : Path.Combine(ZooPaths.RepositoryRoot, target);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, Render(suiteDuration));
        return path;
    }

    /// <summary>LeakGuard's own settings and the runtime's (the GC budget), not the console-logging noise.</summary>
    private static bool IsShownSetting(string key) =>
        key.StartsWith("LeakGuard__", StringComparison.Ordinal) || key.StartsWith("DOTNET_", StringComparison.Ordinal);

    public static string Render(TimeSpan suiteDuration)
    {
        var ordered = ZooCatalog.All.Select(e => s_results.GetValueOrDefault(e.Name)).OfType<ZooRunResult>().ToList();
        var leaks = ordered.Where(r => r.Expectation.IsLeak).ToList();
        var controls = ordered.Where(r => !r.Expectation.IsLeak).ToList();
        var sb = new StringBuilder();
        sb.AppendLine("# Detection quality — real processes");
        sb.AppendLine();
        sb.AppendLine("Each scenario of the leak zoo (`tests/LeakGuard.LeakZoo`) runs as its own process with");
        sb.AppendLine("`AddLeakGuard()` configured only through `LeakGuard__*` environment variables; the integration tests");
        sb.AppendLine("(`tests/LeakGuard.IntegrationTests/Zoo`) read its verdict lines and report files. Times are on the");
        sb.AppendLine("child's clock, from process start (leaking starts at once) to the first `Leaking` verdict.");
        sb.AppendLine();
        sb.AppendLine("Regenerate (about 5 minutes on 2 cores):");
        sb.AppendLine();
        sb.AppendLine("```sh");
        sb.AppendLine("dotnet build LeakGuard.sln -c Release");
        sb.AppendLine($"{OutputVariable}=docs/detection-quality-real.md dotnet test tests/LeakGuard.IntegrationTests -c Release --no-build --filter \"FullyQualifiedName~Zoo\"");
        sb.AppendLine("```");
        sb.AppendLine();
        sb.AppendLine(Inv($"Leaks detected with the right signal: **{leaks.Count(Passed)}/{leaks.Count}**; controls flagged: **{controls.Count(r => r.LeakingSignals.Count > 0)}/{controls.Count}** (Suspected: **{controls.Count(r => r.SuspectedSignals.Count > 0)}/{controls.Count}**); "));
        sb.AppendLine(Inv($"managed leaks with the right top type and holder: **{leaks.Count(r => r.Expectation.ExpectsReport && TopTypeCorrect(r) && r.HolderPath is not null)}/{leaks.Count(r => r.Expectation.ExpectsReport)}**; "));
        sb.AppendLine(Inv($"reports matching their known pattern: **{leaks.Count(PatternMatched)}/{leaks.Count(r => (r.Expectation.Pattern ?? r.Expectation.GeneratedPattern) is not null)}**; "));
        sb.AppendLine(Inv($"top allocation stack through the scenario's allocating method: **{leaks.Count(AllocationSiteFound)}/{leaks.Count(r => r.Expectation.AllocatedIn is not null)}**. "));
        sb.AppendLine(Inv($"Suite wall time {suiteDuration.TotalSeconds:F0} s; generated {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC on {Environment.ProcessorCount} cores."));
        sb.AppendLine();
        sb.AppendLine("| Scenario | Kind | Detected? | Time to detect | Signal | Top growing type | Root (retention path) | Known pattern | Allocated at (top stack) | Report at | Peak RSS | CPU |");
        sb.AppendLine("|---|---|---|---|---|---|---|---|---|---|---|---|");
        foreach (var r in ordered)
        {
            sb.AppendLine(Row(r));
        }

        sb.AppendLine();
        sb.AppendLine("Kind: the signal class the leak must be reported under (`managed` = managed_heap/gen2/loh,");
        sb.AppendLine("`native` = native_memory/process_memory, `threads`), or `control` (a healthy program: nothing may reach");
        sb.AppendLine("`Leaking`; signals that were only `Suspected` are listed). Allocated at: the innermost frame of the top type's");
        sb.AppendLine("most sampled allocation stack outside the runtime's libraries. CPU: the child's whole CPU time, workload included.");
        sb.AppendLine();
        sb.AppendLine("The scenarios (tests/LeakGuard.LeakZoo/Scenarios):");
        sb.AppendLine();
        foreach (var r in ordered)
        {
            sb.AppendLine($"- `{r.Expectation.Name}`: {Cell(r.Description ?? "?")}");
        }

        sb.AppendLine();
        AppendOverhead(sb);
        sb.AppendLine("Configuration of every run:");
        sb.AppendLine();
        foreach (var (key, value) in ZooEnvironment.For("<temp>").Where(p => IsShownSetting(p.Key)))
        {
            sb.AppendLine($"- `{key}={value}`");
        }

        sb.AppendLine();
        sb.AppendLine("Run one scenario by hand (it prints `LEAKGUARD-VERDICT`, `LEAKGUARD-REPORT` and `ZOO-SAMPLE` lines;");
        sb.AppendLine("`--list` shows all scenarios, `--rate` changes the leak rate, Ctrl+C, SIGTERM or closing stdin stops it):");
        sb.AppendLine();
        sb.AppendLine("```sh");
        sb.AppendLine("dotnet build tests/LeakGuard.LeakZoo -c Release");
        sb.AppendLine(string.Join(" ", ZooEnvironment.For("/tmp/zoo-reports").Where(p => IsShownSetting(p.Key) && p.Key != "LeakGuard__Enabled").Select(p => $"{p.Key}={p.Value}")) + " \\");
        sb.AppendLine("  dotnet tests/LeakGuard.LeakZoo/bin/Release/net10.0/LeakGuard.LeakZoo.dll unbounded-cache --seconds 60");
        sb.AppendLine("```");

        var failures = ordered.Where(r => r.Failure is not null).ToList();
        if (failures.Count > 0)
        {
            sb.AppendLine();
            sb.AppendLine("## Failures in this run");
            sb.AppendLine();
            foreach (var r in failures)
            {
                sb.AppendLine($"- `{r.Expectation.Name}`: {r.Failure!.ReplaceLineEndings(" ")}");
            }
        }

        return sb.ToString();
    }

    private static void AppendOverhead(StringBuilder sb)
    {
        var with = s_results.GetValueOrDefault(OverheadScenario)?.Overhead;
        if (with is null || s_baseline is null)
        {
            return;
        }

        static double PerMinute(ZooLine line, string name) => (line.Number(name) ?? double.NaN) / line.T * 60;
        sb.AppendLine(Inv($"LeakGuard's own overhead, `{OverheadScenario}` (~30 collections/s) with and without LeakGuard, same run length: "));
        sb.AppendLine(Inv($"CPU {PerMinute(with, "cpuSeconds"):F1} vs {PerMinute(s_baseline, "cpuSeconds"):F1} s per minute, "));
        sb.AppendLine(Inv($"GC pause {PerMinute(with, "gcPauseSeconds"):F2} vs {PerMinute(s_baseline, "gcPauseSeconds"):F2} s per minute, "));
        sb.AppendLine(Inv($"peak RSS {with.Number("peakRss") / (1024 * 1024):F0} vs {s_baseline.Number("peakRss") / (1024 * 1024):F0} MB. "));
        sb.AppendLine("Both ran alongside other zoo children on a shared machine, so the difference is indicative only;");
        sb.AppendLine("see docs/performance.md for per-operation costs. The managed leaks' CPU includes two heap snapshots.");
        sb.AppendLine();
    }

    private static bool Passed(ZooRunResult r) => r.DetectedAtSeconds is not null;

    private static bool PatternMatched(ZooRunResult r) =>
        (r.Expectation.Pattern is { } managed && r.Report?.Top?.PatternId == managed)
        || (r.Expectation.GeneratedPattern is { } generated && r.Report?.GeneratedPattern == generated);

    private static bool AllocationSiteFound(ZooRunResult r) =>
        r.Expectation.AllocatedIn is not null && r.Report?.Top?.AllocationSites is [var top, ..] && r.Expectation.HasAllocatingFrame(top);

    private static bool TopTypeCorrect(ZooRunResult r) => r.Expectation.IsLeakedType(r.Report?.Top?.Type);

    private static string Row(ZooRunResult r)
    {
        var e = r.Expectation;
        var kind = e.SignalClass switch
        {
            ZooSignalClass.ManagedHeap => "managed",
            ZooSignalClass.NativeMemory => "native",
            ZooSignalClass.Threads => "threads",
            ZooSignalClass.LoadedAssemblies => "generated code",
            _ => "control",
        };
        string detected;
        string time;
        string signal;
        if (e.IsLeak)
        {
            detected = r.DetectedAtSeconds is null ? "**no**" : "yes";
            time = r.DetectedAtSeconds is { } t ? Inv($"{t:F1} s") : "—";
            signal = r.DetectedSignal ?? "—";
            var others = r.LeakingSignals.Select(s => s.Signal).Distinct().Where(s => s != r.DetectedSignal).ToList();
            if (others.Count > 0)
            {
                signal += " (also " + string.Join(", ", others) + ")";
            }
        }
        else
        {
            detected = r.LeakingSignals.Count == 0 ? "no (correct)" : "**yes (false alarm)**";
            time = r.LeakingSignals.Count == 0 ? Inv($"silent for {r.RunSeconds:F0} s") : Inv($"{r.LeakingSignals[0].AtSeconds:F1} s");
            signal = r.LeakingSignals.Count > 0
                ? string.Join(", ", r.LeakingSignals.Select(s => s.Signal).Distinct())
                : r.SuspectedSignals.Count > 0 ? "suspected only: " + string.Join(", ", r.SuspectedSignals) : "—";
        }

        var top = e.ExpectsReport ? (r.Report?.Top?.Type ?? "no report")
            : e.GeneratedPattern is not null ? (r.Report?.GeneratedPattern is not null ? GeneratedAssemblies(r.Report) : "no report") : "—";
        if (e.ExpectsReport && r.Report?.Top is not null && !TopTypeCorrect(r))
        {
            top += $" (expected {e.LeakedType})";
        }

        var root = e.ExpectsReport ? (r.HolderPath?.ToString() ?? FirstPath(r) ?? "—") : "—";
        var pattern = e.ExpectsReport ? r.Report?.Top?.PatternId ?? "none" : e.GeneratedPattern is not null ? r.Report?.GeneratedPattern ?? "none" : "—";
        var expectedPattern = e.Pattern ?? e.GeneratedPattern;
        if (expectedPattern is not null && pattern != expectedPattern)
        {
            pattern += $" (expected {expectedPattern})";
        }

        var allocatedAt = !e.ExpectsReport ? "—"
            : r.Report?.Top?.AllocationSites is [var site, ..] ? ApplicationFrame(site)
            : r.Report is null ? "—" : "none" + (r.Report.AllocationsMissing is { } missing ? $" ({missing})" : string.Empty);
        if (e.AllocatedIn is not null && r.Report?.Top is not null && !AllocationSiteFound(r))
        {
            allocatedAt += $" (expected {e.AllocatedIn})";
        }

        var reportAt = r.ReportAtSeconds is { } at ? Inv($"{at:F1} s") : "—";
        var rss = r.PeakRssBytes is { } p ? Inv($"{p / (1024 * 1024):F0} MB") : "—";
        var cpu = r.CpuSeconds is { } c ? Inv($"{c:F1} s") : "—";
        return $"| `{e.Name}` | {kind} | {detected} | {time} | {signal} | {Cell(top)} | {Cell(root)} | {pattern} | {Cell(allocatedAt)} | {reportAt} | {rss} | {cpu} |";
    }

    // "module!Namespace.Type.Method(args)" → "Type.Method", for the innermost frame outside System.* / Microsoft.* modules.
    private static string ApplicationFrame(IReadOnlyList<string> frames)
    {
        var frame = frames.FirstOrDefault(f => !f.StartsWith("System.", StringComparison.Ordinal) && !f.StartsWith("Microsoft.", StringComparison.Ordinal)) ?? frames[0];
        var method = frame[(frame.IndexOf('!', StringComparison.Ordinal) + 1)..];
        var paren = method.IndexOf('(', StringComparison.Ordinal);
        method = paren >= 0 ? method[..paren] : method;
        var parts = method.Split('.');
        return parts.Length >= 2 ? parts[^2] + "." + parts[^1] : method;
    }

    // "generated assemblies: +51 between the snapshots (Microsoft.GeneratedCode ×10)".
    private static string GeneratedAssemblies(ZooReport report) =>
        Inv($"generated assemblies: +{report.GeneratedBetweenSnapshots} between the snapshots (") +
        string.Join(", ", report.NewestGenerated.GroupBy(n => n, StringComparer.Ordinal).Select(g => Inv($"{g.Key} ×{g.Count()}"))) + ")";

    private static string? FirstPath(ZooRunResult r)
    {
        var path = r.Report?.Top?.RetentionPaths.FirstOrDefault();
        return path is null ? null : path + " (holder not named)";
    }

    private static string Cell(string text) => text.Replace("|", "\\|", StringComparison.Ordinal).Replace("<", "&lt;", StringComparison.Ordinal);

    private static string Inv(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
