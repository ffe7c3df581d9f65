using System.Diagnostics;
using System.Globalization;
using System.Text;

namespace LeakGuard.Overhead;

/// <summary>
/// Runs the variants in separate processes, interleaved (each round rotates the order so no variant
/// always runs first or last), and prints throughput ratios with their spread.
/// </summary>
internal static class Orchestrator
{
    private static readonly string[] DefaultVariants = ["A", "B", "C", "D"];
    private static readonly string[] IdleVariants = ["idle-none", "idle-gc", "idle-gc-every", "idle-samples"];

    /// <summary>
    /// Gets or sets the harness build (its LeakGuard.Overhead.dll) whose U variant runs as Y, so a change to the recording is
    /// measured before and after in the same interleaved rounds (--earlier-build).
    /// </summary>
    public static string? EarlierBuild { get; set; }

    public static int Run(int rounds, TimeSpan warmUp, TimeSpan measure, int exportIntervalMs, string gen0Size, string? output, string[]? variants = null, bool idle = true)
    {
        string[] chosen = variants is not { Length: > 0 } ? DefaultVariants : variants.Contains("A") ? variants : ["A", .. variants];

        var results = new List<ChildResult>();
        var loadBefore = LoadAverage();
        for (var round = 0; round < rounds; round++)
        {
            for (var k = 0; k < chosen.Length; k++)
            {
                var variant = chosen[(k + round) % chosen.Length];
                var result = RunChild(variant, warmUp, measure, exportIntervalMs, gen0Size);
                Console.Error.WriteLine($"round {round + 1}/{rounds} {variant}: {result.OperationsPerSecond:N0} ops/s, {result.CollectionsPerSecond:N0} GC/s");
                results.Add(result);
            }
        }

        foreach (var variant in idle ? IdleVariants : [])
        {
            // A longer warm-up than the workload's: a new process's first seconds of sampling include one-time work.
            var idleMeasure = measure < TimeSpan.FromSeconds(10) ? TimeSpan.FromSeconds(10) : measure;
            var result = RunChild(variant, TimeSpan.FromSeconds(5), idleMeasure, exportIntervalMs, gen0Size);
            Console.Error.WriteLine($"{variant}: {result.AllocatedBytes:N0} B allocated, {result.Gen0Collections} GCs");
            results.Add(result);
        }

        var report = Report(chosen, results, rounds, warmUp, measure, exportIntervalMs, gen0Size, loadBefore, LoadAverage());
        Console.WriteLine(report);
        if (output is not null)
        {
            File.WriteAllText(output, report);
        }

        return 0;
    }

    private static ChildResult RunChild(string variant, TimeSpan warmUp, TimeSpan measure, int exportIntervalMs, string gen0Size)
    {
        var self = Environment.ProcessPath ?? "dotnet";
        var earlier = variant == "Y";
        if (earlier && EarlierBuild is null)
        {
            throw new InvalidOperationException("Variant Y needs --earlier-build PATH (an earlier build's LeakGuard.Overhead.dll).");
        }

        var start = new ProcessStartInfo(earlier ? "dotnet" : self)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        if (earlier)
        {
            start.ArgumentList.Add(EarlierBuild!);
        }
        else if (Path.GetFileNameWithoutExtension(self) == "dotnet")
        {
            start.ArgumentList.Add(typeof(Orchestrator).Assembly.Location);
        }

        foreach (var arg in new[]
                 {
                     "--variant", earlier ? "U" : variant,
                     "--warmup", warmUp.TotalSeconds.ToString(CultureInfo.InvariantCulture),
                     "--seconds", measure.TotalSeconds.ToString(CultureInfo.InvariantCulture),
                     "--export-interval-ms", exportIntervalMs.ToString(CultureInfo.InvariantCulture),
                 })
        {
            start.ArgumentList.Add(arg);
        }

        // A small gen0 budget makes the workload collect well over 100 times per second.
        start.Environment["DOTNET_GCgen0size"] = gen0Size;
        using var process = Process.Start(start) ?? throw new InvalidOperationException("Could not start the child process.");
        var stderr = process.StandardError.ReadToEndAsync();
        ChildResult? result = null;
        while (process.StandardOutput.ReadLine() is { } line)
        {
            result ??= ChildResult.Parse(line);
        }

        process.WaitForExit();
        if (process.ExitCode != 0 || result is null)
        {
            throw new InvalidOperationException($"Variant {variant} failed with exit code {process.ExitCode}: {stderr.Result}");
        }

        return earlier ? result with { Variant = "Y" } : result;
    }

    private static string Report(string[] variants, List<ChildResult> results, int rounds, TimeSpan warmUp, TimeSpan measure, int exportIntervalMs, string gen0Size, string loadBefore, string loadAfter)
    {
        var c = CultureInfo.InvariantCulture;
        var sb = new StringBuilder();
        var byVariant = variants.ToDictionary(v => v, v => results.Where(r => r.Variant == v).ToList());
        var baseline = byVariant["A"];
        sb.AppendLine(c, $"Host overhead: {rounds} interleaved rounds (order rotated each round), {warmUp.TotalSeconds:0.#} s warm-up + {measure.TotalSeconds:0.#} s measured per process, DOTNET_GCgen0size={gen0Size}, OpenTelemetry export interval {exportIntervalMs} ms.");
        sb.AppendLine(c, $"Load average (1/5/15 min) before: {loadBefore}; after: {loadAfter}. {Environment.ProcessorCount} logical processors.");
        sb.AppendLine();
        sb.AppendLine("Ratios are per round (each variant against the A process of the same round), then summarised by their median with a");
        sb.AppendLine("distribution-free 95 % interval from order statistics (the Binomial(n, ½) rank interval of the median).");
        sb.AppendLine();
        sb.AppendLine("| variant | ops/s (median) | throughput vs A: median [95 % CI] | CPU per op vs A: median [95 % CI] | CPU µs per op (median) | GC/s (median) | peak RSS MB (median) |");
        sb.AppendLine("| --- | ---: | ---: | ---: | ---: | ---: | ---: |");
        foreach (var variant in variants)
        {
            var list = byVariant[variant];
            var throughput = Paired(list, baseline, static (r, a) => r.OperationsPerSecond / a.OperationsPerSecond);
            var cpu = Paired(list, baseline, static (r, a) => CpuPerOp(r) / CpuPerOp(a));
            var name = variant switch
            {
                "A" => "A no monitoring",
                "B" => "B LeakGuard (defaults)",
                "C" => "C OpenTelemetry runtime metrics",
                "D" => "D LeakGuard + C",
                "E" => "E LeakGuard (defaults) with the event-listener GC source",
                "F" => "F LeakGuard without a GC source (sampling loop only)",
                "G" => "G LeakGuard, GC source without handle-count windows",
                "H" => "H LeakGuard (defaults) with no detection warm-up (detectors evaluate from the start)",
                "S" => "S a re-arming finalizable sentinel only (no LeakGuard)",
                "M" => "M sentinel + GC.GetGCMemoryInfo per GC (no LeakGuard)",
                "P" => "P LeakGuard observing every GC (MaxGcSamplesPerSecond=0, the default before coalescing)",
                "R" => "R LeakGuard (defaults) + allocation recording (AllocationSampled) open the whole window",
                "T" => "T LeakGuard (defaults) + allocation recording (AllocationTick fallback) open the whole window",
                "U" => "U as R, a later recording (a first one ran during the warm-up)",
                "V" => "V as T, a later recording (a first one ran during the warm-up)",
                "W" => "W as U without the rundown that names the frames (no frame named)",
                "X" => "X as U without following the samples through the GCs (stacks ranked by bytes allocated)",
                "Z" => "Z as X without stack walks (the samples' types and sizes only)",
                "Y" => "Y U of the earlier build (--earlier-build)",
                "Q" => "Q as U without the sample budget (one session, every sample: the recording before 2026-12-05)",
                _ => variant,
            };
            sb.AppendLine(c, $"| {name} | {Median(list.Select(r => r.OperationsPerSecond)):N0} | {Format(throughput)} | {Format(cpu)} | {Median(list.Select(r => CpuPerOp(r) * 1e6)):0.00} | {Median(list.Select(r => r.CollectionsPerSecond)):N0} | {Median(list.Select(r => r.PeakRssBytes / 1048576.0)):0.0} |");
        }

        ThreadTable(sb, byVariant, baseline);
        RecordingTable(sb, byVariant);

        if (!byVariant.ContainsKey("B") || !results.Any(r => r.Variant == "idle-gc"))
        {
            return sb.ToString();
        }

        var footprint = Median(Enumerable.Range(0, Math.Min(byVariant["B"].Count, baseline.Count))
            .Select(i => (double)(byVariant["B"][i].HeapAfterFullGcBytes - baseline[i].HeapAfterFullGcBytes)));
        var idleNone = results.Single(r => r.Variant == "idle-none");
        var idleGc = results.Single(r => r.Variant == "idle-gc");
        var idleSamples = results.Single(r => r.Variant == "idle-samples");
        var idleEvery = results.SingleOrDefault(r => r.Variant == "idle-gc-every");

        // idle-none forces the same collections as idle-gc without LeakGuard: the difference is LeakGuard's.
        (double Bytes, double Microseconds) PerCollection(ChildResult idle) =>
            ((idle.AllocatedBytes - (idleNone.AllocatedBytes / idleNone.Seconds * idle.Seconds)) / Math.Max(1, idle.Gen0Collections),
             ((idle.CpuSeconds / Math.Max(1, idle.Gen0Collections)) - (idleNone.CpuSeconds / Math.Max(1, idleNone.Gen0Collections))) * 1e6);
        var (perGc, cpuPerGc) = PerCollection(idleGc);
        var samples = idleSamples.Seconds / 0.1;
        var perSample = idleSamples.AllocatedBytes / samples;
        sb.AppendLine();
        sb.AppendLine("| LeakGuard's own cost | measured |");
        sb.AppendLine("| --- | ---: |");
        sb.AppendLine(c, $"| allocation per collection, defaults (coalescing: ~100 forced GCs/s, most not observed; idle process, {idleGc.Gen0Collections} forced GCs, minus the same without LeakGuard) | {perGc:N0} B |");
        sb.AppendLine(c, $"| process CPU per collection, defaults (same processes) | {cpuPerGc:N1} µs |");
        if (idleEvery is not null)
        {
            // Every collection observed: the cost of processing one.
            var (perGcEvery, cpuPerGcEvery) = PerCollection(idleEvery);
            sb.AppendLine(c, $"| allocation per GC processed (MaxGcSamplesPerSecond=0: every collection observed; {idleEvery.Gen0Collections} forced GCs, minus the same without LeakGuard) | {perGcEvery:N0} B |");
            sb.AppendLine(c, $"| process CPU per GC processed (same processes) | {cpuPerGcEvery:N1} µs |");
        }

        sb.AppendLine(c, $"| allocation per memory sample (idle process after one GC, ~{samples:N0} samples at 100 ms, everything allocated in the process) | {perSample:N1} B |");
        sb.AppendLine(c, $"| managed heap footprint (heap after full GC, B − A, median) | {footprint / 1048576.0:0.00} MB |");
        return sb.ToString();
    }

    /// <summary>CPU nanoseconds per operation by thread group, each variant's paired difference from A of the same round.</summary>
    private static void ThreadTable(StringBuilder sb, Dictionary<string, List<ChildResult>> byVariant, List<ChildResult> baseline)
    {
        var c = CultureInfo.InvariantCulture;
        var groups = byVariant.Values.SelectMany(l => l).SelectMany(r => r.ThreadCpuPerSecond.Keys).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
        if (groups.Count == 0)
        {
            return;
        }

        static double NsPerOp(ChildResult r, string group) =>
            r.ThreadCpuPerSecond.GetValueOrDefault(group) * r.Seconds * 1e9 / Math.Max(1, r.Operations);

        sb.AppendLine();
        sb.AppendLine("CPU per operation by thread (from /proc/self/task/*/schedstat): A's median in ns per op, and each variant's");
        sb.AppendLine("difference from the A process of the same round, median [95 % CI], in ns per op. Groups under 0.05 ns per op in every variant are left out.");
        sb.AppendLine();
        sb.AppendLine("| thread | A ns/op | " + string.Join(" | ", byVariant.Keys.Where(v => v != "A").Select(v => v + " − A")) + " |");
        sb.AppendLine("| --- | ---: | " + string.Join(" | ", byVariant.Keys.Where(v => v != "A").Select(_ => "---:")) + " |");
        foreach (var group in groups.Append("(all threads)"))
        {
            Func<ChildResult, double> value = group == "(all threads)"
                ? r => r.ThreadCpuPerSecond.Values.Sum() * r.Seconds * 1e9 / Math.Max(1, r.Operations)
                : r => NsPerOp(r, group);
            if (byVariant.Values.All(l => l.All(r => value(r) < 0.05)))
            {
                continue;
            }

            var cells = new List<string>();
            foreach (var (variant, list) in byVariant)
            {
                if (variant == "A")
                {
                    continue;
                }

                var d = Paired(list, baseline, (r, a) => value(r) - value(a));
                cells.Add(double.IsNaN(d.Low)
                    ? string.Create(c, $"{d.Median:+0.00;-0.00}")
                    : string.Create(c, $"{d.Median:+0.00;-0.00} [{d.Low:+0.00;-0.00}, {d.High:+0.00;-0.00}]"));
            }

            sb.AppendLine(c, $"| {group} | {Median(baseline.Select(value)):0.00} | {string.Join(" | ", cells)} |");
        }

        // The monitor's own threads: everything but the workload's thread and the GC's background thread, whose
        // process-to-process spread (several % per op) hides anything below it. Tiered compilation is the JIT
        // compiling the monitor's code again, optimised, a one-time start-up cost; the rest recurs.
        static bool Workload(string group) => group is "main" or ".NET_BGC";
        static double Monitor(ChildResult r, bool withJit) =>
            r.ThreadCpuPerSecond.Where(g => !Workload(g.Key) && (withJit || g.Key != ".NET_Tiered_Com")).Sum(g => g.Value) * r.Seconds * 1e9 / Math.Max(1, r.Operations);
        static double Total(ChildResult r) => r.CpuSeconds * 1e9 / Math.Max(1, r.Operations);

        sb.AppendLine();
        sb.AppendLine("Direct cost: CPU of the threads other than the workload's (main) and the GC's background thread, each variant minus");
        sb.AppendLine("A of the same round, as a share of A's process CPU per operation, median [95 % CI].");
        sb.AppendLine();
        sb.AppendLine("| variant | recurring (finalizer, thread pool, timers, exporters, …) | + tiered JIT (one-time start-up) | implied throughput on a CPU-bound host (recurring) |");
        sb.AppendLine("| --- | ---: | ---: | ---: |");
        foreach (var (variant, list) in byVariant)
        {
            if (variant == "A")
            {
                continue;
            }

            var recurring = Paired(list, baseline, static (r, a) => (Monitor(r, false) - Monitor(a, false)) / Total(a));
            var withJit = Paired(list, baseline, static (r, a) => (Monitor(r, true) - Monitor(a, true)) / Total(a));
            var implied = (1 / (1 + recurring.Median), 1 / (1 + recurring.High), 1 / (1 + recurring.Low), recurring.Coverage);
            sb.AppendLine(c, $"| {variant} | {FormatPlus(recurring)} | {FormatPlus(withJit)} | {Format(implied)} |");
        }

        // Two variants compared directly: the difference of their direct costs in the same round (A's cancels out).
        (string, string)[] pairs = [("B", "C"), ("B", "P"), ("D", "C"), ("R", "B"), ("T", "B"), ("U", "B"), ("V", "B"), ("W", "B"), ("U", "W"), ("X", "B"), ("U", "X"), ("Y", "B"), ("U", "Y"), ("Y", "X"), ("Z", "B"), ("X", "Z"), ("Q", "B"), ("U", "Q")];
        var present = pairs.Where(p => byVariant.ContainsKey(p.Item1) && byVariant.ContainsKey(p.Item2)).ToList();
        if (present.Count == 0)
        {
            return;
        }

        sb.AppendLine();
        sb.AppendLine("Paired differences between variants: the direct cost of one minus the other's in the same round, as a share of");
        sb.AppendLine("A's process CPU per operation, median [95 % CI] (an interval at or below 0 means the first costs no more).");
        sb.AppendLine();
        sb.AppendLine("| difference | recurring | + tiered JIT |");
        sb.AppendLine("| --- | ---: | ---: |");
        foreach (var (first, second) in present)
        {
            var x = byVariant[first];
            var y = byVariant[second];
            var n = Math.Min(Math.Min(x.Count, y.Count), baseline.Count);
            (double Median, double Low, double High, double Coverage) Difference(bool withJit) =>
                Paired(n, i => (Monitor(x[i], withJit) - Monitor(y[i], withJit)) / Total(baseline[i]));
            sb.AppendLine(c, $"| {first} − {second} | {FormatPlus(Difference(false))} | {FormatPlus(Difference(true))} |");
        }
    }

    // The allocation recording's stack walks run on the allocating (workload) thread, which the direct-cost table leaves
    // out: its cost is the whole process's CPU per operation against B (LeakGuard without a recording) in the same round.
    private static void RecordingTable(StringBuilder sb, Dictionary<string, List<ChildResult>> byVariant)
    {
        if (!byVariant.TryGetValue("B", out var without))
        {
            return;
        }

        var c = CultureInfo.InvariantCulture;
        var header = false;
        foreach (var variant in new[] { "R", "T", "U", "V", "W", "X", "Y", "Z", "Q" })
        {
            if (!byVariant.TryGetValue(variant, out var with))
            {
                continue;
            }

            if (!header)
            {
                sb.AppendLine();
                sb.AppendLine("Allocation recording against LeakGuard without it (B), paired per round, median [95 % CI]:");
                sb.AppendLine();
                sb.AppendLine("| variant | process CPU per op vs B | throughput vs B |");
                sb.AppendLine("| --- | ---: | ---: |");
                header = true;
            }

            var cpu = Paired(with, without, static (r, b) => CpuPerOp(r) / CpuPerOp(b));
            var throughput = Paired(with, without, static (r, b) => r.OperationsPerSecond / b.OperationsPerSecond);
            sb.AppendLine(c, $"| {variant} | {Format(cpu)} | {Format(throughput)} |");
        }
    }

    private static string FormatPlus((double Median, double Low, double High, double Coverage) s) =>
        double.IsNaN(s.Low)
            ? string.Create(CultureInfo.InvariantCulture, $"{s.Median:+0.00 %;-0.00 %}")
            : string.Create(CultureInfo.InvariantCulture, $"{s.Median:+0.00 %;-0.00 %} [{s.Low:+0.00 %;-0.00 %}, {s.High:+0.00 %;-0.00 %}]");

    private static double CpuPerOp(ChildResult r) => r.CpuSeconds / Math.Max(1, r.Operations);

    /// <summary>One value per round from a variant's process and the A process of the same round, summarised by
    /// <see cref="PairedStatistics.MedianWithInterval"/>.</summary>
    private static (double Median, double Low, double High, double Coverage) Paired(List<ChildResult> variant, List<ChildResult> baseline, Func<ChildResult, ChildResult, double> pair) =>
        Paired(Math.Min(variant.Count, baseline.Count), i => pair(variant[i], baseline[i]));

    /// <summary>The median with its interval of one value per round, rounds 0 … <paramref name="rounds"/> − 1.</summary>
    private static (double Median, double Low, double High, double Coverage) Paired(int rounds, Func<int, double> perRound) =>
        PairedStatistics.MedianWithInterval([.. Enumerable.Range(0, rounds).Select(perRound)]);

    private static string Format((double Median, double Low, double High, double Coverage) s) =>
        double.IsNaN(s.Low)
            ? string.Create(CultureInfo.InvariantCulture, $"{s.Median:P2} [too few rounds]")
            : string.Create(CultureInfo.InvariantCulture, $"{s.Median:P2} [{s.Low:P2}, {s.High:P2}]");

    /// <summary>The load average over 1, 5 and 15 minutes, or "n/a".</summary>
    internal static string LoadAverage()
    {
        try
        {
            var parts = File.ReadAllText("/proc/loadavg").Split(' ');
            return string.Join(' ', parts.Take(3));
        }
        catch (IOException)
        {
            return "n/a";
        }
        catch (UnauthorizedAccessException)
        {
            return "n/a";
        }
    }

    private static double Median(IEnumerable<double> values)
    {
        var sorted = values.OrderBy(v => v).ToArray();
        if (sorted.Length == 0)
        {
            return double.NaN;
        }

        return sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[(sorted.Length / 2) - 1] + sorted[sorted.Length / 2]) / 2;
    }
}
