using System.Diagnostics;
using System.Globalization;
using System.Text;
using LeakGuard.Investigation;

namespace LeakGuard.Overhead;

/// <summary>
/// The allocation recording's cost measured inside one process (--in-process N): each child runs LeakGuard's defaults
/// and, after a warm-up with a first recording (as variant U), blocks of the same length in the order off, on, on, off
/// (a "quad"), repeated. An "on" block is a whole recording: its start, the window, and its stop (closing GC, rundown,
/// naming the frames) are inside the block's CPU reading; the workload runs only in the window, so the start and stop
/// are charged in full. Each quad gives one ratio, the CPU per operation of its two "on" blocks over its two "off"
/// blocks, so the process (its code layout, its JIT's choices, its heap) and the machine's slow drifts (the off-on-on-off
/// order cancels a linear one) are the same on both sides. The separate-process rounds of the orchestrator carry the
/// process-to-process spread (±5–9 % on this machine's 2 cores), which hides effects of a few per cent; here the two
/// "off" blocks of a quad measure what is left of the noise (an A/A ratio).
/// </summary>
internal static class InProcessPairs
{
    private const string Prefix = "QUAD";

    // The group of the threads that ended within a block (their CPU: the process's minus the live threads').
    private const string EndedThreads = "(ended_in_block)";

    /// <summary>Runs <paramref name="children"/> child processes one after the other and reports the quads' ratios.</summary>
    public static int Orchestrate(int children, int quads, TimeSpan warmUp, TimeSpan block, string gen0Size, string? output)
    {
        var blocks = new List<Block>();
        var loadBefore = Orchestrator.LoadAverage();
        var started = DateTime.UtcNow;
        for (var child = 0; child < children; child++)
        {
            var self = Environment.ProcessPath ?? "dotnet";
            var start = new ProcessStartInfo(self) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
            if (Path.GetFileNameWithoutExtension(self) == "dotnet")
            {
                start.ArgumentList.Add(typeof(InProcessPairs).Assembly.Location);
            }

            foreach (var arg in new[] { "--in-process-child", quads.ToString(CultureInfo.InvariantCulture), "--warmup", warmUp.TotalSeconds.ToString(CultureInfo.InvariantCulture), "--seconds", block.TotalSeconds.ToString(CultureInfo.InvariantCulture) })
            {
                start.ArgumentList.Add(arg);
            }

            start.Environment["DOTNET_GCgen0size"] = gen0Size;
            using var process = Process.Start(start) ?? throw new InvalidOperationException("Could not start the child process.");
            var stderr = process.StandardError.ReadToEndAsync();
            var mine = new List<Block>();
            while (process.StandardOutput.ReadLine() is { } line)
            {
                if (Block.Parse(line, child) is { } parsed)
                {
                    mine.Add(parsed);
                }
            }

            process.WaitForExit();
            if (process.ExitCode != 0 || mine.Count != 4 * quads)
            {
                throw new InvalidOperationException($"In-process child {child + 1} failed (exit code {process.ExitCode}, {mine.Count} of {4 * quads} blocks): {stderr.Result}");
            }

            Console.Error.Write(stderr.Result);
            blocks.AddRange(mine);
            var ratios = Quads(mine).Select(q => q.CpuRatio.ToString("P1", CultureInfo.InvariantCulture));
            Console.Error.WriteLine($"child {child + 1}/{children}: CPU per op on/off per quad {string.Join(", ", ratios)}");
        }

        var report = Report(blocks, children, quads, warmUp, block, gen0Size, started, loadBefore, Orchestrator.LoadAverage());
        Console.WriteLine(report);
        if (output is not null)
        {
            File.WriteAllText(output, report);
        }

        return 0;
    }

    /// <summary>One child: LeakGuard's defaults, a first recording in the warm-up, then the quads; one line per block.</summary>
    public static int RunChild(int quads, TimeSpan warmUp, TimeSpan block)
    {
        using var leakGuard = LeakMonitor.Start(new LeakGuardOptions()) as IDisposable;
        var workload = new Workload();
        VariantRunner.WarmUp(workload, warmUp, "in-process", static () => Start());
        for (var q = 0; q < quads; q++)
        {
            foreach (var on in new[] { false, true, true, false })
            {
                Console.WriteLine(Measure(workload, q, on, block).ToLine());
            }
        }

        return 0;
    }

    // An investigation's recording: AllocationSampled, frames named, samples followed through the GCs, the shipped budget.
    private static AllocationRecording Start() =>
        AllocationRecording.StartAsync(AllocationEventKind.Sampled, true, AllocationRecording.MaxSamples, true, true, VariantRunner.ShippedBudget(), CancellationToken.None).GetAwaiter().GetResult();

    private static Block Measure(Workload workload, int quad, bool on, TimeSpan block)
    {
        var process = Process.GetCurrentProcess();
        var threads0 = ThreadCpu.Snapshot();
        var cpu0 = process.TotalProcessorTime;
        var recording = on ? Start() : null;
        long operations = 0;
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < block)
        {
            for (var i = 0; i < 64; i++)
            {
                workload.RunOne();
            }

            operations += 64;
        }

        var seconds = clock.Elapsed.TotalSeconds;
        var samples = 0L;
        if (recording is not null)
        {
            samples = recording.StopAsync(CancellationToken.None).GetAwaiter().GetResult().Samples;
        }

        var threads = ThreadCpu.Groups(threads0, ThreadCpu.Snapshot());
        process.Refresh();
        var cpu = (process.TotalProcessorTime - cpu0).TotalSeconds;

        // A thread that ended in the block (the recording's reader ends with it) is gone from /proc/self/task, while
        // the process's CPU still counts it: what the live threads do not account for is theirs.
        threads[EndedThreads] = Math.Max(0, (long)(cpu * 1e9) - threads.Values.Sum());
        return new Block(0, quad, on, seconds, operations, cpu, samples, ThreadCpu.Format(threads));
    }

    private static IEnumerable<Quad> Quads(IReadOnlyList<Block> blocks) =>
        blocks.GroupBy(b => (b.Child, b.Quad)).Where(g => g.Count() == 4).Select(g => new Quad(g.Key.Child, g.Key.Quad, [.. g]));

    private static string Report(List<Block> blocks, int children, int quads, TimeSpan warmUp, TimeSpan block, string gen0Size, DateTime started, string loadBefore, string loadAfter)
    {
        var c = CultureInfo.InvariantCulture;
        var all = Quads(blocks).ToList();
        var sb = new StringBuilder();
        sb.AppendLine(c, $"Allocation recording in one process: {children} child processes × {quads} quads (blocks off, on, on, off of {block.TotalSeconds:0.#} s each, after a {warmUp.TotalSeconds:0.#} s warm-up with a first recording), DOTNET_GCgen0size={gen0Size}.");
        sb.AppendLine(c, $"{started:yyyy-MM-dd HH:mm}–{DateTime.UtcNow:HH:mm} UTC. Load average (1/5/15 min) before: {loadBefore}; after: {loadAfter}. {Environment.ProcessorCount} logical processors.");
        sb.AppendLine();
        sb.AppendLine("One ratio per quad, summarised by the median with a distribution-free 95 % interval (order statistics). An \"on\" block");
        sb.AppendLine("includes the recording's start and stop; the A/A rows compare blocks of the same kind within a quad (what noise is left).");
        sb.AppendLine();
        sb.AppendLine("| per quad | median [95 % CI] | min – max |");
        sb.AppendLine("| --- | ---: | ---: |");
        void Row(string name, IEnumerable<double> values)
        {
            var list = values.ToList();
            if (list.Count == 0)
            {
                return;
            }

            var s = PairedStatistics.MedianWithInterval(list);
            var interval = double.IsNaN(s.Low) ? "too few quads" : string.Create(c, $"{s.Low:P2}, {s.High:P2}");
            sb.AppendLine(c, $"| {name} | {s.Median:P2} [{interval}] | {list.Min():P1} – {list.Max():P1} |");
        }

        Row("**process CPU per operation, on / off**", all.Select(q => q.CpuRatio));
        Row("throughput, on / off", all.Select(q => q.ThroughputRatio));
        Row("A/A: CPU per operation, second off / first off", all.Select(q => q.Off[1].CpuPerOp / q.Off[0].CpuPerOp));
        Row("A/A: CPU per operation, second on / first on", all.Select(q => q.On[1].CpuPerOp / q.On[0].CpuPerOp));
        Row("first quad of each process: CPU per operation, on / off", all.Where(q => q.Index == 0).Select(q => q.CpuRatio));
        Row("later quads: CPU per operation, on / off", all.Where(q => q.Index > 0).Select(q => q.CpuRatio));

        var offCpu = Median(all.Select(q => q.OffCpuPerOp * 1e9));
        sb.AppendLine();
        sb.AppendLine(c, $"Off blocks: {Median(all.Select(q => q.OffCpuPerOp * 1e6)):0.00} µs of process CPU per operation (median); on blocks: {Median(blocks.Where(b => b.On).Select(b => (double)b.Samples)):N0} samples per recording (median).");
        sb.AppendLine();
        sb.AppendLine("CPU per operation by thread (/proc/self/task/*/schedstat), on − off in the same quad, ns per op, median [95 % CI]; as a");
        sb.AppendLine("share of the off blocks' process CPU per operation. Groups under 1 ns per op in every quad are left out. Threads that ended");
        sb.AppendLine("within a block (an \"on\" block's recording reader) are counted as (ended_in_block): the process's CPU minus the live");
        sb.AppendLine("threads' (the process's CPU is read in clock ticks, 10 ms, so this row carries up to ±10 ms per block).");
        sb.AppendLine();
        sb.AppendLine("| thread | off, ns/op | on − off, ns/op | share |");
        sb.AppendLine("| --- | ---: | ---: | ---: |");
        var groups = blocks.SelectMany(b => b.ThreadNanoseconds.Keys).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
        foreach (var group in groups.Append("(all threads)"))
        {
            Func<Quad, bool, double> value = group == "(all threads)" ? (q, on) => q.ThreadsPerOp(on, null) : (q, on) => q.ThreadsPerOp(on, group);
            if (all.All(q => Math.Abs(value(q, true)) < 1 && Math.Abs(value(q, false)) < 1))
            {
                continue;
            }

            var d = PairedStatistics.MedianWithInterval([.. all.Select(q => value(q, true) - value(q, false))]);
            var interval = double.IsNaN(d.Low) ? string.Empty : string.Create(c, $" [{d.Low:+0;-0;0}, {d.High:+0;-0;0}]");
            sb.AppendLine(c, $"| {group} | {Median(all.Select(q => value(q, false))):0} | {d.Median:+0;-0;0}{interval} | {d.Median / offCpu:+0.00 %;-0.00 %;0.00 %} |");
        }

        return sb.ToString();
    }

    private static double Median(IEnumerable<double> values) => PairedStatistics.MedianWithInterval([.. values]).Median;

    /// <summary>One block's reading.</summary>
    private sealed record Block(int Child, int Quad, bool On, double Seconds, long Operations, double CpuSeconds, long Samples, string Threads)
    {
        public double CpuPerOp => CpuSeconds / Math.Max(1, Operations);

        public IReadOnlyDictionary<string, long> ThreadNanoseconds => ThreadCpu.Parse(Threads);

        public string ToLine() => string.Join(';', Prefix, Quad.ToString(CultureInfo.InvariantCulture), On ? "on" : "off", Seconds.ToString("R", CultureInfo.InvariantCulture), Operations.ToString(CultureInfo.InvariantCulture), CpuSeconds.ToString("R", CultureInfo.InvariantCulture), Samples.ToString(CultureInfo.InvariantCulture), Threads);

        public static Block? Parse(string line, int child)
        {
            var p = line.Split(';');
            if (p.Length != 8 || p[0] != Prefix)
            {
                return null;
            }

            return new Block(child, int.Parse(p[1], CultureInfo.InvariantCulture), p[2] == "on", double.Parse(p[3], CultureInfo.InvariantCulture), long.Parse(p[4], CultureInfo.InvariantCulture), double.Parse(p[5], CultureInfo.InvariantCulture), long.Parse(p[6], CultureInfo.InvariantCulture), p[7]);
        }
    }

    /// <summary>A quad's four blocks.</summary>
    private sealed record Quad(int Child, int Index, Block[] Blocks)
    {
        public Block[] On => [.. Blocks.Where(b => b.On)];

        public Block[] Off => [.. Blocks.Where(b => !b.On)];

        public double OffCpuPerOp => Off.Sum(b => b.CpuSeconds) / Off.Sum(b => b.Operations);

        public double CpuRatio => (On.Sum(b => b.CpuSeconds) / On.Sum(b => b.Operations)) / OffCpuPerOp;

        public double ThroughputRatio => (On.Sum(b => b.Operations) / On.Sum(b => b.Seconds)) / (Off.Sum(b => b.Operations) / Off.Sum(b => b.Seconds));

        public double ThreadsPerOp(bool on, string? group)
        {
            var blocks = on ? On : Off;
            var ns = blocks.Sum(b => group is null ? b.ThreadNanoseconds.Values.Sum() : b.ThreadNanoseconds.GetValueOrDefault(group));
            return (double)ns / blocks.Sum(b => b.Operations);
        }
    }
}
