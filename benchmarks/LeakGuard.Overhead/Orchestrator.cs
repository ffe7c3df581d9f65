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
    private static readonly string[] Variants = ["A", "B", "C", "D"];
    private static readonly string[] IdleVariants = ["idle-none", "idle-gc", "idle-samples"];

    public static int Run(int rounds, TimeSpan warmUp, TimeSpan measure, int exportIntervalMs, string gen0Size, string? output)
    {
        var results = new List<ChildResult>();
        for (var round = 0; round < rounds; round++)
        {
            for (var k = 0; k < Variants.Length; k++)
            {
                var variant = Variants[(k + round) % Variants.Length];
                var result = RunChild(variant, warmUp, measure, exportIntervalMs, gen0Size);
                Console.Error.WriteLine($"round {round + 1}/{rounds} {variant}: {result.OperationsPerSecond:N0} ops/s, {result.CollectionsPerSecond:N0} GC/s");
                results.Add(result);
            }
        }

        foreach (var variant in IdleVariants)
        {
            var result = RunChild(variant, TimeSpan.FromSeconds(2), measure, exportIntervalMs, gen0Size);
            Console.Error.WriteLine($"{variant}: {result.AllocatedBytes:N0} B allocated, {result.Gen0Collections} GCs");
            results.Add(result);
        }

        var report = Report(results, rounds, warmUp, measure, exportIntervalMs, gen0Size);
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
        var start = new ProcessStartInfo(self)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        if (Path.GetFileNameWithoutExtension(self) == "dotnet")
        {
            start.ArgumentList.Add(typeof(Orchestrator).Assembly.Location);
        }

        foreach (var arg in new[]
                 {
                     "--variant", variant,
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

        return result;
    }

    private static string Report(List<ChildResult> results, int rounds, TimeSpan warmUp, TimeSpan measure, int exportIntervalMs, string gen0Size)
    {
        var c = CultureInfo.InvariantCulture;
        var sb = new StringBuilder();
        var byVariant = Variants.ToDictionary(v => v, v => results.Where(r => r.Variant == v).ToList());
        sb.AppendLine(c, $"Host overhead: {rounds} interleaved rounds, {warmUp.TotalSeconds:0} s warm-up + {measure.TotalSeconds:0} s measured per process, DOTNET_GCgen0size={gen0Size}, OpenTelemetry export interval {exportIntervalMs} ms.");
        sb.AppendLine();
        sb.AppendLine("| variant | ops/s (median) | throughput vs A (median, min–max) | CPU s per 1M ops (median) | GC/s (median) | peak RSS MB (median) |");
        sb.AppendLine("| --- | ---: | ---: | ---: | ---: | ---: |");
        var baseline = byVariant["A"];
        foreach (var variant in Variants)
        {
            var list = byVariant[variant];
            var ratios = Enumerable.Range(0, Math.Min(list.Count, baseline.Count))
                .Select(i => list[i].OperationsPerSecond / baseline[i].OperationsPerSecond)
                .ToList();
            var name = variant switch
            {
                "A" => "A no monitoring",
                "B" => "B LeakGuard (defaults)",
                "C" => "C OpenTelemetry runtime metrics",
                _ => "D LeakGuard + C",
            };
            sb.AppendLine(c, $"| {name} | {Median(list.Select(r => r.OperationsPerSecond)):N0} | {Median(ratios):P2} ({ratios.Min():P2}–{ratios.Max():P2}) | {Median(list.Select(r => r.CpuSeconds / r.Operations * 1e6)):0.00} | {Median(list.Select(r => r.CollectionsPerSecond)):N0} | {Median(list.Select(r => r.PeakRssBytes / 1048576.0)):0.0} |");
        }

        var footprint = Median(Enumerable.Range(0, Math.Min(byVariant["B"].Count, baseline.Count))
            .Select(i => (double)(byVariant["B"][i].HeapAfterFullGcBytes - baseline[i].HeapAfterFullGcBytes)));
        var idleNone = results.Single(r => r.Variant == "idle-none");
        var idleGc = results.Single(r => r.Variant == "idle-gc");
        var idleSamples = results.Single(r => r.Variant == "idle-samples");
        var noisePerSecond = idleNone.AllocatedBytes / idleNone.Seconds;
        var perGc = (idleGc.AllocatedBytes - (noisePerSecond * idleGc.Seconds)) / Math.Max(1, idleGc.Gen0Collections);
        var samples = idleSamples.Seconds / 0.1;
        var perSample = (idleSamples.AllocatedBytes - (noisePerSecond * idleSamples.Seconds)) / samples;
        sb.AppendLine();
        sb.AppendLine("| LeakGuard's own cost | measured |");
        sb.AppendLine("| --- | ---: |");
        sb.AppendLine(c, $"| allocation per GC processed (idle process, {idleGc.Gen0Collections} forced GCs) | {perGc:N0} B |");
        sb.AppendLine(c, $"| allocation per memory sample (idle process, ~{samples:N0} samples at 100 ms) | {perSample:N0} B |");
        sb.AppendLine(c, $"| managed heap footprint (heap after full GC, B − A, median) | {footprint / 1048576.0:0.00} MB |");
        sb.AppendLine(c, $"| allocation rate under the workload (B − A per second, median) | {Median(Enumerable.Range(0, Math.Min(byVariant["B"].Count, baseline.Count)).Select(i => (byVariant["B"][i].AllocatedBytes / byVariant["B"][i].Seconds) - (baseline[i].AllocatedBytes / baseline[i].Seconds))) / 1024:N0} KB/s (workload noise included) |");
        return sb.ToString();
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
