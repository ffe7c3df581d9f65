using System.Diagnostics;
using System.Globalization;
using System.Text;
using LeakGuard;
using LeakGuard.Detection;
using LeakGuard.DetectionQuality;

// The detection-quality evaluation: a labelled corpus in simulated time, LeakGuard and four baselines on the
// same series, and the Alibaba machine traces as real-world negatives. Usage:
//   dotnet run -c Release --project benchmarks/LeakGuard.DetectionQuality [-- --quick] [--sensitivities] [--out FILE]
CultureInfo.CurrentCulture = CultureInfo.InvariantCulture;
var quick = args.Contains("--quick");
var sensitivities = args.Contains("--sensitivities");
var only = Option("--only");
var outPath = Option("--out");
var negativeRuns = int.Parse(Option("--runs") ?? (quick ? "50" : "200"), CultureInfo.InvariantCulture);
var positiveRuns = int.Parse(Option("--positive-runs") ?? (quick ? "25" : "100"), CultureInfo.InvariantCulture);

const double Dt = 5;

// Replayed and simulated series start at this fixed instant.
var replayOrigin = new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

if (args.Contains("--profile"))
{
    ProfileEvaluation.Run();
    return 0;
}

var window = TimeSpan.FromMinutes(10);
var warmUp = TimeSpan.FromMinutes(5);
var limit = 2 * SeriesSimulator.Baseline;
var watch = Stopwatch.StartNew();

var variants = new List<(string Name, DetectorSettings Settings)>
{
    ("LeakGuard", Settings(DetectionSensitivity.Normal)),
};
if (sensitivities)
{
    variants.Add(("LeakGuard Low", Settings(DetectionSensitivity.Low)));
    variants.Add(("LeakGuard High", Settings(DetectionSensitivity.High)));
}

// --hold "0.01,0.03": LeakGuard (Normal) with a first-day cycle hold at these rates per hour, as extra columns (the trade-off curve).
foreach (var hold in (Option("--hold") ?? string.Empty).Split(',', StringSplitOptions.RemoveEmptyEntries))
{
    var rate = double.Parse(hold, CultureInfo.InvariantCulture);
    variants.Add(($"LeakGuard hold {rate * 100:0.#} %/h", DetectorSettings.Create(window, TimeSpan.FromSeconds(Dt), warmUp, new DetectionOptions { Window = window }, rate)));
}

// --young-share "0.7,0.8": LeakGuard (Normal) holding a signal younger than 14 windows whose lifetime thirds measure a slow-down
// below this share (the log-growth trade-off curve); --spans "25,30": with a window required to span more noise correlation times
// (the autocorrelated-noise trade-off curve).
foreach (var share in (Option("--young-share") ?? string.Empty).Split(',', StringSplitOptions.RemoveEmptyEntries))
{
    var value = double.Parse(share, CultureInfo.InvariantCulture);
    variants.Add(($"LeakGuard young {value:0.##}", variants[0].Settings with { LifetimeYoungShare = value }));
}

foreach (var spans in (Option("--spans") ?? string.Empty).Split(',', StringSplitOptions.RemoveEmptyEntries))
{
    var value = double.Parse(spans, CultureInfo.InvariantCulture);
    variants.Add(($"LeakGuard spans {value:0.#}", variants[0].Settings with { CorrelationSpans = value }));
}

// --variant "label:Name=value,Name=value;label2:..." (or --set, with ';' or '|' between variants): LeakGuard (Normal) with any
// DetectorSettings properties changed, as extra columns (for the trade-off curves of settings without their own option).
foreach (var spec in (Option("--variant") ?? Option("--set") ?? string.Empty).Split([';', '|'], StringSplitOptions.RemoveEmptyEntries))
{
    var colon = spec.IndexOf(':', StringComparison.Ordinal);
    var settings = variants[0].Settings with { };
    foreach (var assignment in spec[(colon + 1)..].Split(',', StringSplitOptions.RemoveEmptyEntries))
    {
        var pair = assignment.Split('=');
        var property = typeof(DetectorSettings).GetProperty(pair[0].Trim());
        if (property is null || pair.Length != 2 || !property.CanWrite)
        {
            Console.Error.WriteLine($"--variant: '{assignment}' is not Property=value for a settable DetectorSettings property.");
            return 1;
        }

        try
        {
            property.SetValue(settings, Convert.ChangeType(pair[1].Trim(), property.PropertyType, CultureInfo.InvariantCulture));
        }
        catch (Exception e) when (e is FormatException or InvalidCastException or OverflowException)
        {
            Console.Error.WriteLine($"--variant: '{pair[1].Trim()}' is not a valid {property.PropertyType.Name} for {property.Name}.");
            return 1;
        }
    }

    variants.Add(($"LeakGuard {(colon > 0 ? spec[..colon] : spec)}", settings));
}

var evaluateEvery = variants[0].Settings.BucketWidths[0].TotalSeconds;
IAlarmMethod[] CreateMethods() =>
[
    .. variants.Select(v => (IAlarmMethod)new LeakGuardMethod(v.Settings, LeakSignals.ManagedHeap, limit, v.Name)),
    new MemwatchMethod(warmUp.TotalSeconds),
    new OlsPValueMethod(window.TotalSeconds, Dt, evaluateEvery, warmUp.TotalSeconds, SeriesSimulator.Baseline),
    new ThresholdMethod(limit),
    new RegressionGrowthMethod(Dt, evaluateEvery, warmUp.TotalSeconds, SeriesSimulator.Baseline),
];

if (Option("--zoo-sim") is { } zooSeed)
{
    // A leak-zoo-like process in the zoo's configuration (Window 5 s, 50-ms samples, WarmUp 25 s): a managed heap read
    // after each GC (every 0.2–1 s) that retains 1.5 MiB/s from the start; prints LeakGuard's state changes.
    var zooSettings = ZooSettings();
    var rng = new Random(int.Parse(zooSeed, CultureInfo.InvariantCulture));
    var replay = new SeriesReplay(new SignalDetector(LeakSignals.ManagedHeap, zooSettings), zooSettings, 8e9);
    var rate = double.Parse(Option("--zoo-rate") ?? "1572864", CultureInfo.InvariantCulture);
    var heap = 30e6;
    var nextGc = 0.0;
    var last = LeakState.InsufficientData;
    for (var t = 0.0; t < 90; t += 0.05)
    {
        if (t >= nextGc)
        {
            heap = 30e6 + (rate * t) + (rng.NextDouble() * 2e6);
            nextGc = t + 0.2 + (rng.NextDouble() * 0.8);
        }

        var v = replay.Add(replayOrigin.AddSeconds(t), heap);
        if (v is not null && v.State != last)
        {
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{t,6:0.00} s {v.State,-16} {v.Reason}"));
            last = v.State;
        }
    }

    return 0;
}

if (Option("--replay-zoo") is { } zooLog)
{
    // --replay-zoo FILE: a leak-zoo child's output recorded with --sample-every 0.05; replays its RSS (process_memory),
    // RSS − GC committed (native_memory) and heap after GC (managed_heap) through the detector in the zoo's
    // configuration and prints each signal's state changes. Exit code 2 when any signal reached Leaking.
    var zooSettings = ZooSettings();
    (string Signal, Func<System.Text.Json.JsonElement, double> Read)[] signals =
    [
        (LeakSignals.ProcessMemory, e => e.GetProperty("rss").GetDouble()),
        (LeakSignals.NativeMemory, e => e.GetProperty("rss").GetDouble() - e.GetProperty("committed").GetDouble()),
        (LeakSignals.ManagedHeap, e => e.GetProperty("heapAfterGc").GetDouble()),
    ];
    var replays = signals.Select(s => new SeriesReplay(new SignalDetector(s.Signal, zooSettings), zooSettings, 8e9)).ToArray();
    var states = signals.Select(_ => LeakState.InsufficientData).ToArray();
    var leaked = false;
    // LeakGuard's own investigations (from the live managed suspicion to its report) restart the resident-memory
    // signals' warm-up, as the monitor does; --no-restart replays without that rule.
    var restart = !args.Contains("--no-restart");
    var investigating = false;
    foreach (var line in File.ReadLines(zooLog))
    {
        if (line.StartsWith("LEAKGUARD-VERDICT ", StringComparison.Ordinal) && line.Contains("\"state\":\"Suspected\"", StringComparison.Ordinal)
            && (line.Contains("\"signal\":\"managed_heap\"", StringComparison.Ordinal) || line.Contains("\"signal\":\"gen2\"", StringComparison.Ordinal) || line.Contains("\"signal\":\"loh\"", StringComparison.Ordinal)))
        {
            investigating = true;
        }
        else if (line.StartsWith("LEAKGUARD-REPORT {\"path\"", StringComparison.Ordinal))
        {
            investigating = false;
        }

        if (!line.StartsWith("ZOO-SAMPLE ", StringComparison.Ordinal))
        {
            continue;
        }

        using var json = System.Text.Json.JsonDocument.Parse(line["ZOO-SAMPLE ".Length..]);
        var t = json.RootElement.GetProperty("t").GetDouble();
        var at = replayOrigin.AddSeconds(t);
        for (var s = 0; s < signals.Length; s++)
        {
            if (investigating && restart && s < 2)
            {
                replays[s].Detector.Restart(at);
            }

            var v = replays[s].Add(at, signals[s].Read(json.RootElement));
            if (v is not null && v.State != states[s])
            {
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{t,6:0.00} s {signals[s].Signal,-15} {v.State,-16} {v.Reason}"));
                states[s] = v.State;
                leaked |= v.State == LeakState.Leaking;
            }
        }
    }

    return leaked ? 2 : 0;
}

if (Option("--series") is { } seriesRun)
{
    // --series "cell text#run[#minutes]": one run's floors (minimum per bucket, default 10 min) as % of the baseline.
    var parts = seriesRun.Split('#');
    var all = Corpus.Build(negativeRuns, positiveRuns);
    var index = Enumerable.Range(0, all.Count).First(i => all[i].Name.Contains(parts[0], StringComparison.OrdinalIgnoreCase));
    var run = int.Parse(parts[1], CultureInfo.InvariantCulture);
    var width = parts.Length > 2 ? double.Parse(parts[2], CultureInfo.InvariantCulture) * 60 : 600;
    var series = new double[(int)(TimeSpan.FromHours(72).TotalSeconds / Dt) + 1];
    var count = SeriesSimulator.Generate(all[index], (index * 100_003) + run + 17, Dt, series);
    var per = Math.Max(1, (int)(width / Dt));
    for (var i = 0; i + per <= count; i += per)
    {
        var floor = series.AsSpan(i, per).ToArray().Min();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{i * Dt / 3600,6:0.00} h {((floor / SeriesSimulator.Baseline) - 1) * 100,7:0.00} %"));
    }

    return 0;
}

if (Option("--timeline") is { } timelineRun)
{
    // --timeline "cell text#run": replay one run and print LeakGuard's state changes with their reasons.
    var parts = timelineRun.Split('#');
    var all = Corpus.Build(negativeRuns, positiveRuns);
    var index = Enumerable.Range(0, all.Count).First(i => all[i].Name.Contains(parts[0], StringComparison.OrdinalIgnoreCase));
    var run = int.Parse(parts[1], CultureInfo.InvariantCulture);
    var series = new double[(int)(TimeSpan.FromHours(72).TotalSeconds / Dt) + 1];
    var count = SeriesSimulator.Generate(all[index], (index * 100_003) + run + 17, Dt, series);
    // --variant N: the timeline of the N-th LeakGuard column (0 = Normal); --horizons M: every M minutes, each level's outcome.
    var variant = variants[int.Parse(Option("--column") ?? "0", CultureInfo.InvariantCulture)].Settings;
    var detector = new SignalDetector(LeakSignals.ManagedHeap, variant);
    var replay = new SeriesReplay(detector, variant, limit);
    var every = Option("--horizons") is { } minutes ? (int)(double.Parse(minutes, CultureInfo.InvariantCulture) * 60 / Dt) : 0;
    var last = LeakState.InsufficientData;
    var lastReason = string.Empty;
    for (var i = 0; i < count; i++)
    {
        var v = replay.Add(replayOrigin.AddSeconds(i * Dt), series[i]);
        if (every > 0 && i % every == 0)
        {
            for (var level = 1; level < variant.BucketWidths.Count; level++)
            {
                var r = detector.LatestResult(level);
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{i * Dt / 60,7:0.0} min   L{level} {r.Outcome,-20} n {r.Points,2} growth {r.Growth / SeriesSimulator.Baseline * 100,5:0.00} % need {r.RequiredGrowth / SeriesSimulator.Baseline * 100,5:0.00} % p {r.PValue:0.0e0} ρ {r.LagOne:0.00} low {r.LagOneLow:0.00} pooled {detector.PooledLagOne(level):0.00}"));
            }
        }

        if (v is not null && (v.State != last || (args.Contains("--reasons") && v.Reason != lastReason)))
        {
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{i * Dt / 60,7:0.0} min {v.State,-16} {v.GrowthRatePerSecond * 3600 / SeriesSimulator.Baseline * 100,6:0.00} %/h  {v.Reason}"));
            last = v.State;
            lastReason = v.Reason;
        }
    }

    return 0;
}

var methodNames = CreateMethods().Select(m => m.Name).ToArray();
// Seeds come from a cell's index in the whole corpus, so a cell picked with --only replays exactly its full-run series.
var fullCorpus = Corpus.Build(negativeRuns, positiveRuns);
var picked = Enumerable.Range(0, fullCorpus.Count).Where(i => only is null || only.Split('|').Any(o => fullCorpus[i].Name.Contains(o, StringComparison.OrdinalIgnoreCase))).ToArray();
var corpus = picked.Select(i => fullCorpus[i]).ToList();
var jobs = corpus.SelectMany((s, c) => Enumerable.Range(0, s.Runs).Select(r => (Cell: c, Run: r))).ToArray();
var alarms = corpus.Select(s => new double[methodNames.Length, s.Runs]).ToArray();
var local = new ThreadLocal<(IAlarmMethod[] Methods, double[] Buffer)>(() => (CreateMethods(), new double[(int)(TimeSpan.FromHours(72).TotalSeconds / Dt) + 1]));
Parallel.ForEach(jobs, new ParallelOptions { MaxDegreeOfParallelism = 2 }, job =>
{
    var (methods, buffer) = local.Value;
    var scenario = corpus[job.Cell];
    var n = SeriesSimulator.Generate(scenario, (picked[job.Cell] * 100_003) + job.Run + 17, Dt, buffer);
    for (var m = 0; m < methods.Length; m++)
    {
        methods[m].Reset();
        if (methods[m] is LeakGuardMethod lg)
        {
            lg.Cell = scenario.Name;
        }

        var first = double.NaN;
        for (var i = 0; i < n; i++)
        {
            if (methods[m].Step(i * Dt, buffer[i]))
            {
                first = i * Dt;
                break;
            }
        }

        alarms[job.Cell][m, job.Run] = first;
    }
});

if (Option("--dump") is { } dumpPath)
{
    // One line per run and method: the first alarm in simulated seconds (empty = none); compare two versions with diff.
    using var dump = new StreamWriter(dumpPath);
    for (var c = 0; c < corpus.Count; c++)
    {
        for (var r = 0; r < corpus[c].Runs; r++)
        {
            for (var m = 0; m < methodNames.Length; m++)
            {
                var a = alarms[c][m, r];
                dump.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{corpus[c].Name}\t{r}\t{methodNames[m]}\t{(double.IsNaN(a) ? string.Empty : a.ToString("0", CultureInfo.InvariantCulture))}"));
            }
        }
    }
}

var report = new StringBuilder();
report.AppendLine(CultureInfo.InvariantCulture, $"Simulated corpus: {jobs.Length} runs ({negativeRuns} per negative cell, {positiveRuns} per positive cell), sample interval {Dt} s, Window {window.TotalMinutes} min, WarmUp {warmUp.TotalMinutes} min, baseline 512 MiB, limit 1 GiB.");
report.AppendLine();
WriteNegatives(report, corpus, alarms, methodNames);
WritePositives(report, corpus, alarms, methodNames);
WriteF1(report, corpus, alarms, methodNames);
if (args.Contains("--diagnose"))
{
    foreach (var (cell, horizons) in LeakGuardMethod.Deciders.OrderBy(d => d.Key, StringComparer.Ordinal))
    {
        report.AppendLine(CultureInfo.InvariantCulture, $"{cell}: {string.Join(", ", horizons.GroupBy(h => h).OrderBy(g => g.Key, StringComparer.Ordinal).Select(g => $"{g.Key}×{g.Count()}"))}");
    }

    report.AppendLine();
}

report.AppendLine(CultureInfo.InvariantCulture, $"Simulation time: {watch.Elapsed.TotalSeconds:0} s.");
report.AppendLine();
if (!args.Contains("--skip-alibaba"))
{
    AlibabaReplay.Run(report, variants[0].Settings.WarmUp);
}

report.AppendLine(CultureInfo.InvariantCulture, $"Total time: {watch.Elapsed.TotalSeconds:0} s on {Environment.ProcessorCount} cores.");
Console.WriteLine(report.ToString());
if (outPath is not null)
{
    File.WriteAllText(outPath, report.ToString());
}

return 0;

DetectorSettings Settings(DetectionSensitivity sensitivity) =>
    DetectorSettings.Create(window, TimeSpan.FromSeconds(Dt), warmUp, new DetectionOptions { Window = window, Sensitivity = sensitivity });

string? Option(string name)
{
    var i = Array.IndexOf(args, name);
    return i >= 0 && i + 1 < args.Length ? args[i + 1] : null;
}

static void WriteNegatives(StringBuilder sb, List<Scenario> corpus, double[][,] alarms, string[] names)
{
    sb.AppendLine("### Negative cells: false alarms per 24 h of simulated time (% of runs)");
    sb.AppendLine();
    sb.AppendLine("| cell | group | runs | " + string.Join(" | ", names) + " |");
    sb.AppendLine("|---|---|---:|" + string.Concat(names.Select(_ => "---:|")));
    for (var c = 0; c < corpus.Count; c++)
    {
        var s = corpus[c];
        if (s.IsPositive)
        {
            continue;
        }

        var days = s.Duration.TotalHours / 24;
        var cells = names.Select((_, m) => Percent(Enumerable.Range(0, s.Runs).Count(r => !double.IsNaN(alarms[c][m, r])) / (double)s.Runs / days));
        sb.AppendLine(CultureInfo.InvariantCulture, $"| {s.Name} | {s.Group} | {s.Runs} | {string.Join(" | ", cells)} |");
    }

    sb.AppendLine();
}

static void WritePositives(StringBuilder sb, List<Scenario> corpus, double[][,] alarms, string[] names)
{
    sb.AppendLine("### Positive cells: detected % (alarms before the onset count as false) · median / p90 delay after onset");
    sb.AppendLine();
    sb.AppendLine("| cell | runs | " + string.Join(" | ", names) + " |");
    sb.AppendLine("|---|---:|" + string.Concat(names.Select(_ => "---|")));
    for (var c = 0; c < corpus.Count; c++)
    {
        var s = corpus[c];
        if (!s.IsPositive)
        {
            continue;
        }

        var cells = new List<string>();
        for (var m = 0; m < names.Length; m++)
        {
            var onset = s.LeakOnset.TotalSeconds;
            var delays = Enumerable.Range(0, s.Runs).Select(r => alarms[c][m, r]).Where(a => !double.IsNaN(a) && a >= onset).Select(a => (a - onset) / 60).OrderBy(d => d).ToArray();
            var early = Enumerable.Range(0, s.Runs).Count(r => alarms[c][m, r] < onset);
            var within6h = delays.Count(d => d <= 360);
            var text = $"{Percent(delays.Length / (double)s.Runs)}";
            if (delays.Length > 0)
            {
                text += $" · {Minutes(Quantile(delays, 0.5))} / {Minutes(Quantile(delays, 0.9))}";
            }

            if (within6h < delays.Length)
            {
                text += $" · ≤6 h {Percent(within6h / (double)s.Runs)}";
            }

            if (early > 0)
            {
                text += $" · early {Percent(early / (double)s.Runs)}";
            }

            cells.Add(text);
        }

        sb.AppendLine(CultureInfo.InvariantCulture, $"| {s.Name} | {s.Runs} | {string.Join(" | ", cells)} |");
    }

    sb.AppendLine();
}

static void WriteF1(StringBuilder sb, List<Scenario> corpus, double[][,] alarms, string[] names)
{
    sb.AppendLine("### F1 per cell group (negative runs with an alarm and positive runs alarmed before onset are false positives)");
    sb.AppendLine();
    sb.AppendLine("| group | " + string.Join(" | ", names) + " |");
    sb.AppendLine("|---|" + string.Concat(names.Select(_ => "---:|")));
    foreach (var group in corpus.Select(s => s.Group).Distinct())
    {
        var cells = new List<string>();
        for (var m = 0; m < names.Length; m++)
        {
            double tp = 0, fp = 0, fn = 0;
            for (var c = 0; c < corpus.Count; c++)
            {
                var s = corpus[c];
                if (s.Group != group)
                {
                    continue;
                }

                for (var r = 0; r < s.Runs; r++)
                {
                    var a = alarms[c][m, r];
                    if (!s.IsPositive)
                    {
                        fp += double.IsNaN(a) ? 0 : 1;
                    }
                    else if (double.IsNaN(a))
                    {
                        fn++;
                    }
                    else if (a < s.LeakOnset.TotalSeconds)
                    {
                        fp++;
                        fn++;
                    }
                    else
                    {
                        tp++;
                    }
                }
            }

            cells.Add((2 * tp / Math.Max(1, (2 * tp) + fp + fn)).ToString("0.000", CultureInfo.InvariantCulture));
        }

        sb.AppendLine(CultureInfo.InvariantCulture, $"| {group} | {string.Join(" | ", cells)} |");
    }

    sb.AppendLine();
}

static double Quantile(double[] sorted, double q) => sorted[Math.Min(sorted.Length - 1, (int)Math.Floor(q * sorted.Length))];

static string Percent(double fraction) => (fraction * 100).ToString(fraction is > 0 and < 0.1 ? "0.0" : "0", CultureInfo.InvariantCulture) + " %";

static string Minutes(double minutes) => minutes < 120
    ? minutes.ToString("0", CultureInfo.InvariantCulture) + " min"
    : (minutes / 60).ToString("0.0", CultureInfo.InvariantCulture) + " h";

// The leak zoo's configuration (Window 5 s, 50-ms samples, WarmUp 25 s), for --zoo-sim and --replay-zoo.
static DetectorSettings ZooSettings() =>
    DetectorSettings.Create(TimeSpan.FromSeconds(5), TimeSpan.FromMilliseconds(50), TimeSpan.FromSeconds(25), new DetectionOptions { Window = TimeSpan.FromSeconds(5) });
