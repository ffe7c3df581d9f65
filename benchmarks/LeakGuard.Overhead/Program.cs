using System.Globalization;
using LeakGuard.Overhead;

// Host-overhead harness (docs/performance.md, "Overhead on the host"):
//   dotnet run -c Release --project benchmarks/LeakGuard.Overhead -- [--rounds 16] [--seconds 10] [--warmup 12] [--output file.md]
// (12 s warm-up: LeakGuard's start-up is mostly over; 10 s measured: one handle-count window per window, as in steady state.)
// Many short interleaved rounds: ratios are paired per round and summarised by a median with a 95 % interval.
// --variants picks the variants (A is always run); attribution variants: E LeakGuard with the event-listener GC source,
// F without a GC source, G without handle-count windows, H detectors evaluating from the start, S a bare re-arming
// finalizable sentinel, M the sentinel reading GC.GetGCMemoryInfo, P LeakGuard observing every GC (MaxGcSamplesPerSecond=0,
// the default before coalescing) (VariantRunner). Each child reports CPU per thread. --earlier-build PATH runs, as variant
// Y, variant U of another build of this harness (its LeakGuard.Overhead.dll): before and after a change in the same rounds.
// Without --variant it orchestrates child processes; with --variant it is one of them.
//   ... -- --compare-gc-sources [--collections 2000] [--repetitions 3]: the GC-source comparison (allocation and CPU per GC).
//   ... -- --handle-windows N: the process CPU of one handle-count window (listener on, one GC, off).
//   ... -- --count-events [--seconds S]: the allocation recording's runtime events per GC, unfiltered and filtered
//   (set DOTNET_GCgen0size=200000 as the orchestrator does).
//   ... -- --in-process N [--quads K] [--seconds S] [--warmup S]: the allocation recording's cost inside one process, N child
//   processes each running K quads of blocks off, on, on, off (InProcessPairs).
var rounds = 16;
var warmUp = TimeSpan.FromSeconds(12);
var measure = TimeSpan.FromSeconds(10);
var exportIntervalMs = 1000;
var gen0Size = "200000"; // hex, as the runtime reads DOTNET_GC* settings
string? variant = null;
string? gcSource = null;
var compareGcSources = false;
var collections = 2000;
var repetitions = 3;
string[]? variants = null;
var idle = true;
var handleWindows = 0;
string? output = null;
var countEvents = false;
var inProcess = 0;
var inProcessChild = 0;
var quads = 4;
for (var i = 0; i < args.Length; i++)
{
    string Next() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"Option {args[i]} needs a value.");
    switch (args[i])
    {
        case "--variant": variant = Next(); break;
        case "--rounds": rounds = int.Parse(Next(), CultureInfo.InvariantCulture); break;
        case "--warmup": warmUp = TimeSpan.FromSeconds(double.Parse(Next(), CultureInfo.InvariantCulture)); break;
        case "--seconds": measure = TimeSpan.FromSeconds(double.Parse(Next(), CultureInfo.InvariantCulture)); break;
        case "--export-interval-ms": exportIntervalMs = int.Parse(Next(), CultureInfo.InvariantCulture); break;
        case "--gen0size": gen0Size = Next(); break;
        case "--output": output = Next(); break;
        case "--compare-gc-sources": compareGcSources = true; break;
        case "--variants": variants = Next().Split(','); break;
        case "--no-idle": idle = false; break;
        case "--count-events": countEvents = true; break;
        case "--in-process": inProcess = int.Parse(Next(), CultureInfo.InvariantCulture); break;
        case "--in-process-child": inProcessChild = int.Parse(Next(), CultureInfo.InvariantCulture); break;
        case "--quads": quads = int.Parse(Next(), CultureInfo.InvariantCulture); break;
        case "--earlier-build": Orchestrator.EarlierBuild = Path.GetFullPath(Next()); break;
        case "--gc-source": gcSource = Next(); break;
        case "--collections": collections = int.Parse(Next(), CultureInfo.InvariantCulture); break;
        case "--repetitions": repetitions = int.Parse(Next(), CultureInfo.InvariantCulture); break;
        case "--handle-windows": handleWindows = int.Parse(Next(), CultureInfo.InvariantCulture); break;
        default:
            Console.Error.WriteLine($"Unknown option {args[i]}. Options: --rounds N --seconds S --warmup S --export-interval-ms MS --gen0size HEX --output FILE --variants A,B,C,D,E,F,G,H,P,S,M --no-idle; or --in-process N [--quads K]; or --compare-gc-sources [--collections N] [--repetitions N]");
            return 1;
    }
}

if (handleWindows > 0)
{
    return GcSourceComparison.HandleWindows(handleWindows);
}

if (gcSource is not null)
{
    return GcSourceComparison.RunChild(gcSource, collections);
}

if (inProcessChild > 0)
{
    return InProcessPairs.RunChild(inProcessChild, warmUp, measure);
}

if (inProcess > 0)
{
    return InProcessPairs.Orchestrate(inProcess, quads, warmUp, measure, gen0Size, output);
}

if (countEvents)
{
    return EventCount.Run(measure);
}

if (compareGcSources)
{
    return GcSourceComparison.Orchestrate(collections, repetitions);
}

return variant is null
    ? Orchestrator.Run(rounds, warmUp, measure, exportIntervalMs, gen0Size, output, variants, idle)
    : VariantRunner.Run(variant, warmUp, measure, exportIntervalMs);
