using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using LeakGuard.DetectionQuality;
using LeakGuard.DetectionQuality.Generation;

// The detection-quality evaluation: scenario families whose parameters are drawn per seed, replayed exactly as
// `leakguard analyze` replays a file, plus the Alibaba machine traces. Usage (docs/detection-quality.md):
//   dotnet run -c Release --project benchmarks/LeakGuard.DetectionQuality -- [--seeds tuning|heldout] [--runs N] [--quick]
//       [--family NAME] [--out FILE] [--list-failures] [--csv FAMILY:SEED] [--sensitivity Low|Normal|High]
//       [--urgency-horizon D] [--tradeoff]
CultureInfo.CurrentCulture = CultureInfo.InvariantCulture;
const int DefaultRuns = 200;
const int QuickRuns = 25;
const long HeldOutFirstSeed = 3_000_000;
string[] Sensitivities = ["Low", "Normal", "High"];

// The trade-off's points: each sensitivity at the default urgency horizon, then the default sensitivity with urgency off,
// shorter, and the quietest setting (Low, urgency off).
(string Sensitivity, string Horizon)[] TradeOffPoints =
[
    ("Normal", AnalyzeOptions.DefaultUrgencyHorizon), ("Low", AnalyzeOptions.DefaultUrgencyHorizon), ("High", AnalyzeOptions.DefaultUrgencyHorizon),
    ("Normal", "0"), ("Normal", "1h"), ("Normal", "6h"), ("Low", "0"),
];

var seedsName = "held-out";
var firstSeed = HeldOutFirstSeed;
int? runs = null;
var quick = false;
var listFailures = false;
var tradeOff = false;
string? outPath = null;
string? csv = null;
var families = Family.All;
for (var i = 0; i < args.Length; i++)
{
    string Value()
    {
        if (i + 1 >= args.Length || args[i + 1].StartsWith("--", StringComparison.Ordinal))
        {
            throw new ArgumentException($"{args[i]} needs a value.");
        }

        return args[++i];
    }

    try
    {
        switch (args[i])
        {
            case "--seeds":
                (seedsName, firstSeed) = Value() switch
                {
                    "tuning" => ("tuning", 0L),
                    "heldout" or "held-out" => ("held-out", HeldOutFirstSeed),
                    var other => throw new ArgumentException($"--seeds '{other}' must be tuning or heldout."),
                };
                break;
            case "--runs":
                var text = Value();
                runs = int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n > 0
                    ? n
                    : throw new ArgumentException($"--runs '{text}' must be a positive whole number.");
                break;
            case "--quick":
                quick = true;
                break;
            case "--family":
                var name = Value();
                var family = Family.All.FirstOrDefault(f => f.Name == name)
                    ?? throw new ArgumentException($"--family '{name}' is not a family; the families are {string.Join(", ", Family.All.Select(f => f.Name))}.");
                families = [family];
                break;
            case "--out":
                outPath = Value();
                break;
            case "--list-failures":
                listFailures = true;
                break;
            case "--csv":
                csv = Value();
                break;
            case "--sensitivity":
                var sensitivity = Value();
                AnalyzeOptions.SensitivityOption = Sensitivities.Contains(sensitivity, StringComparer.Ordinal)
                    ? sensitivity
                    : throw new ArgumentException($"--sensitivity '{sensitivity}' must be one of {string.Join(", ", Sensitivities)}.");
                break;
            case "--urgency-horizon":
                // Checked by the command's own parser on a trial request, so the evaluation refuses what `analyze` refuses.
                var horizon = Value();
                using (var refused = new StringWriter(CultureInfo.InvariantCulture))
                {
                    if (!LeakGuard.Cli.SeriesAnalysis.CheckOptions(LeakGuard.Cli.AnalyzeCommand.Request("check.csv", "--urgency-horizon", horizon), refused))
                    {
                        throw new ArgumentException(refused.ToString().Trim().Replace("error: ", string.Empty, StringComparison.Ordinal));
                    }
                }

                AnalyzeOptions.UrgencyHorizonOption = horizon;
                break;
            case "--tradeoff":
                tradeOff = true;
                break;
            default:
                throw new ArgumentException($"unknown option '{args[i]}' (options: --seeds tuning|heldout, --runs N, --quick, --family NAME, --out FILE, --list-failures, --csv FAMILY:SEED, --sensitivity Low|Normal|High, --urgency-horizon D, --tradeoff).");
        }
    }
    catch (ArgumentException e)
    {
        Console.Error.WriteLine($"error: {e.Message}");
        return 1;
    }
}

if (outPath is not null && !Directory.Exists(Path.GetDirectoryName(Path.GetFullPath(outPath))))
{
    Console.Error.WriteLine($"error: --out '{outPath}': its directory does not exist.");
    return 1;
}

if (csv is not null)
{
    // --csv FAMILY:SEED: one run as the CSV `leakguard analyze` reads, to look at it or replay it with the command.
    var colon = csv.LastIndexOf(':');
    var family = colon > 0 ? Family.All.FirstOrDefault(f => f.Name == csv[..colon]) : null;
    if (family is null || !long.TryParse(csv[(colon + 1)..], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var seed))
    {
        Console.Error.WriteLine($"error: --csv '{csv}' must be FAMILY:SEED with a family among {string.Join(", ", Family.All.Select(f => f.Name))}.");
        return 1;
    }

    var run = ScenarioGenerator.Generate(family, seed);
    Console.Error.WriteLine($"{family.Name} seed {seed}: {run.Parameters.Describe()}{(run.Limit is { } l ? $" (--limit {l:R})" : string.Empty)}");
    RunReplay.WriteCsv(run, Console.Out);
    return 0;
}

var perFamily = runs ?? (quick ? QuickRuns : DefaultRuns);
var watch = Stopwatch.StartNew();
var jobs = families.SelectMany(f => Enumerable.Range(0, perFamily).Select(k => (Family: f, Seed: firstSeed + k))).ToArray();
var directory = AlibabaReplay.Locate();

// One evaluation at the sensitivity in AnalyzeOptions: every generated run, then every Alibaba trace.
(RunOutcome[] Outcomes, MachineOutcome[]? Machines) Evaluate()
{
    var outcomes = new ConcurrentBag<RunOutcome>();
    var done = 0;
    Parallel.ForEach(jobs, new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount }, job =>
    {
        outcomes.Add(RunReplay.Evaluate(job.Family, job.Seed));
        if (Interlocked.Increment(ref done) % 200 == 0)
        {
            Console.Error.WriteLine($"{done} / {jobs.Length} runs, {watch.Elapsed.TotalSeconds:0} s");
        }
    });

    var machines = directory is null ? null : AlibabaReplay.Run(directory);
    return (outcomes.OrderBy(o => Family.All.ToList().IndexOf(o.Family)).ThenBy(o => o.Parameters.Seed).ToArray(), machines);
}

string report;
if (tradeOff)
{
    var points = new List<(string, IReadOnlyList<RunOutcome>, IReadOnlyList<MachineOutcome>?)>();
    foreach (var (sensitivity, horizon) in TradeOffPoints)
    {
        (AnalyzeOptions.SensitivityOption, AnalyzeOptions.UrgencyHorizonOption) = (sensitivity, horizon);
        var (outcomes, machines) = Evaluate();
        var name = $"{sensitivity}, urgency {(horizon == "0" ? "off" : horizon)}";
        points.Add((name, outcomes, machines));
        Console.Error.WriteLine($"{name} done, {watch.Elapsed.TotalSeconds:0} s");
    }

    report = EvaluationReport.TradeOff(new EvaluationRun(seedsName, firstSeed, perFamily, watch.Elapsed, Process.GetCurrentProcess().TotalProcessorTime), points);
    Console.WriteLine(report);
}
else
{
    var (ordered, machines) = Evaluate();
    report = EvaluationReport.Build(new EvaluationRun(seedsName, firstSeed, perFamily, watch.Elapsed, Process.GetCurrentProcess().TotalProcessorTime), ordered, machines);
    Console.WriteLine(report);
    if (listFailures)
    {
        Console.WriteLine("## Runs that miss a target");
        Console.WriteLine();
        EvaluationReport.ListFailures(ordered, Console.Out);
    }
}

if (outPath is not null)
{
    var temporary = outPath + ".tmp";
    try
    {
        File.WriteAllText(temporary, report);
        File.Move(temporary, outPath, overwrite: true);
    }
    catch (Exception e) when (e is IOException or UnauthorizedAccessException)
    {
        File.Delete(temporary);
        Console.Error.WriteLine($"error: --out '{outPath}': {e.Message}");
        return 1;
    }
}

return 0;
