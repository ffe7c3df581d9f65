using System.Globalization;
using LeakGuard.Buffering;
using LeakGuard.Formatting;

namespace LeakGuard.Hosting;

/// <summary>
/// The <c>restart_cadence</c> rule (issue 21, item 4). Pure. A process killed by a leak every few minutes never lives long
/// enough for a slow-leak verdict; its lifetimes, joined, are the evidence:
/// <list type="bullet">
/// <item>the run: the newest completed lifetimes, counted back until one that did not end by <c>out_of_memory</c>,
/// <c>oom_killed</c> or <c>recycled</c> or did not <see cref="Grew">grow</see>;</item>
/// <item>a cadence: the longest suffix of the run, at least <see cref="MinimumRun"/> lifetimes, whose lengths all lie within a
/// factor <see cref="DurationFactor"/> of their median;</item>
/// <item>then Leaking, with the median length as the cadence and the median growth per lifetime.</item>
/// </list>
/// The verdict is cleared in a lifetime that outlives <see cref="ClearFactor"/> times the run's longest without growing.
/// </summary>
internal static class RestartCadence
{
    /// <summary>The fewest deaths in a row that make a cadence: "by the third such restart".</summary>
    public const int MinimumRun = 3;

    /// <summary>The least rise of the binding limit's utilisation floor, first quarter of a lifetime to last, that counts as growth (10 points).</summary>
    public const double MinimumRise = 0.1;

    /// <summary>Lifetimes whose lengths lie within this factor of their median are similar.</summary>
    public const double DurationFactor = 2;

    /// <summary>A lifetime that lives this many times the run's longest without growing clears the verdict.</summary>
    public const double ClearFactor = 2;

    /// <summary>Returns whether a lifetime ended by memory: an out-of-memory death, a kernel OOM kill or LeakGuard's recycle.</summary>
    /// <param name="reason">A <see cref="RestartReasons"/> value.</param>
    /// <returns><see langword="true"/> for those three.</returns>
    public static bool EndedByMemory(string? reason) => reason is RestartReasons.OutOfMemory or RestartReasons.OomKilled or RestartReasons.Recycled;

    /// <summary>
    /// Whether a lifetime grew from its start to its end: split its utilisation floors (the segments with a reading) into four
    /// quarters; the quarters' floors rise strictly, and the last lies at least <see cref="MinimumRise"/> above the first.
    /// A spike that kills a flat process has flat floors; a lifetime with fewer than four floors is not judged.
    /// </summary>
    /// <param name="floors">The utilisation floors, oldest first (NaN where none).</param>
    /// <returns><see langword="true"/> when it grew.</returns>
    public static bool Grew(ReadOnlySpan<double> floors)
    {
        var n = 0;
        foreach (var f in floors)
        {
            n += double.IsFinite(f) ? 1 : 0;
        }

        if (n < 4)
        {
            return false;
        }

        Span<double> quarters = [double.NaN, double.NaN, double.NaN, double.NaN];
        var seen = 0;
        foreach (var f in floors)
        {
            if (!double.IsFinite(f))
            {
                continue;
            }

            var q = seen++ * 4 / n;
            quarters[q] = double.IsNaN(quarters[q]) ? f : Math.Min(quarters[q], f);
        }

        return quarters[0] < quarters[1] && quarters[1] < quarters[2] && quarters[2] < quarters[3] && quarters[3] - quarters[0] >= MinimumRise;
    }

    /// <summary>Evaluates the completed lifetimes.</summary>
    /// <param name="completed">The completed lifetimes, oldest first (each with its reason).</param>
    /// <returns>The finding.</returns>
    public static CadenceFinding Evaluate(IReadOnlyList<LifetimeSummary> completed)
    {
        ArgumentNullException.ThrowIfNull(completed);
        var runStart = completed.Count;
        while (runStart > 0 && EndedByMemory(completed[runStart - 1].Reason) && Grew(Floors(completed[runStart - 1])))
        {
            runStart--;
        }

        var runLength = completed.Count - runStart;
        if (runLength < MinimumRun)
        {
            if (completed.Count < MinimumRun)
            {
                return new CadenceFinding(LeakState.InsufficientData, [], string.Create(
                    CultureInfo.InvariantCulture,
                    $"{completed.Count} earlier lifetime(s) recorded; a restart cadence needs {MinimumRun} in a row that each grew until an out-of-memory death or a recycle."));
            }

            var breaker = completed[runStart - 1];
            var how = !EndedByMemory(breaker.Reason)
                ? $"ended by {breaker.Reason ?? RestartReasons.Unknown}"
                : $"ended by {breaker.Reason} without growing from its start";
            return new CadenceFinding(LeakState.Stable, [], string.Create(
                CultureInfo.InvariantCulture,
                $"No restart cadence: {runLength} lifetime(s) in a row grew until an out-of-memory death or a recycle ({MinimumRun} needed); the one before {how} after {Readable.Duration(breaker.Duration)}."));
        }

        for (var k = runLength; k >= MinimumRun; k--)
        {
            var run = completed.Skip(completed.Count - k).ToList();
            var median = Median(run.Select(l => l.Duration.TotalSeconds));
            if (median > 0 && run.All(l => l.Duration.TotalSeconds >= median / DurationFactor && l.Duration.TotalSeconds <= median * DurationFactor))
            {
                return Leaking(run, median);
            }
        }

        var tail = completed.Skip(runStart).ToList();
        return new CadenceFinding(LeakState.Stable, [], string.Create(
            CultureInfo.InvariantCulture,
            $"No restart cadence: the last {runLength} lifetimes each grew until an out-of-memory death or a recycle, but their lengths ({Readable.Duration(tail.Min(l => l.Duration))}–{Readable.Duration(tail.Max(l => l.Duration))}) do not lie within a factor {DurationFactor:0} of their median."));
    }

    /// <summary>The floors of a lifetime.</summary>
    /// <param name="lifetime">The lifetime.</param>
    /// <returns>Its floors.</returns>
    public static ReadOnlySpan<double> Floors(LifetimeSummary lifetime) =>
        lifetime.UtilizationFloors is double[] array ? array : lifetime.UtilizationFloors.ToArray();

    private static CadenceFinding Leaking(List<LifetimeSummary> run, double medianSeconds)
    {
        var growths = run.Select(l => l.GrowthBytes).Where(double.IsFinite).ToList();
        var growth = growths.Count > 0 ? Median(growths) : double.NaN;
        var rates = run.Where(l => double.IsFinite(l.GrowthBytes) && l.Duration > TimeSpan.Zero)
            .Select(l => l.GrowthBytes / l.Duration.TotalSeconds).ToList();
        var reasons = run.GroupBy(l => l.Reason).Select(g => (Reason: g.Key!, Count: g.Count())).OrderByDescending(g => g.Count).ThenBy(g => g.Reason, StringComparer.Ordinal).ToList();
        var died = reasons.Count == 1 ? reasons[0].Reason : string.Join(" or ", reasons.Select(r => string.Create(CultureInfo.InvariantCulture, $"{r.Reason} ({r.Count})")));
        var cadence = TimeSpan.FromSeconds(medianSeconds);
        var shortest = run.Min(l => l.Duration);
        var longest = run.Max(l => l.Duration);
        var signed = run.LastOrDefault(l => l.LeakSignature is not null);
        var signature = signed is null ? string.Empty : $" Leak signature {signed.LeakSignature} ({signed.LeakType}).";
        var perLifetime = double.IsFinite(growth) ? $", growing {Readable.Bytes(growth)} per lifetime" : string.Empty;
        var reason = string.Create(
            CultureInfo.InvariantCulture,
            $"{run.Count} of the last {run.Count} lifetimes died of {died} after {Span(shortest, longest)} each{perLifetime}: a leak restarts this service every ~{Readable.Duration(cadence)}.{signature}");
        return new CadenceFinding(LeakState.Leaking, run, reason)
        {
            Died = died,
            Cadence = cadence,
            Shortest = shortest,
            Longest = longest,
            GrowthPerLifetime = growth,
            RatePerSecond = double.IsFinite(growth) ? growth / medianSeconds : 0,
            RateLowerPerSecond = rates.Count > 0 ? rates.Min() : 0,
            RateUpperPerSecond = rates.Count > 0 ? rates.Max() : 0,
            LimitBytes = run[^1].LimitBytes,
            Limit = run[^1].Limit,
            Signature = signed?.LeakSignature,
        };
    }

    /// <summary>"58 s–63 s", or "1 min" when both read the same.</summary>
    /// <param name="shortest">The shortest.</param>
    /// <param name="longest">The longest.</param>
    /// <returns>The text.</returns>
    public static string Span(TimeSpan shortest, TimeSpan longest)
    {
        var (a, b) = (Readable.Duration(shortest), Readable.Duration(longest));
        return a == b ? a : $"{a}–{b}";
    }

    private static double Median(IEnumerable<double> values)
    {
        var sorted = values.Order().ToList();
        if (sorted.Count == 0)
        {
            return double.NaN;
        }

        var mid = sorted.Count / 2;
        return sorted.Count % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
    }
}

/// <summary>What <see cref="RestartCadence.Evaluate"/> found.</summary>
/// <param name="State">Leaking with a cadence; Stable with enough lifetimes and none; InsufficientData with fewer than three.</param>
/// <param name="Run">The lifetimes of the cadence, oldest first (empty unless Leaking).</param>
/// <param name="Reason">Why, in a sentence.</param>
internal sealed record CadenceFinding(LeakState State, IReadOnlyList<LifetimeSummary> Run, string Reason)
{
    /// <summary>Gets how the run's lifetimes ended ("out_of_memory", or "oom_killed (2) or recycled (1)").</summary>
    public string Died { get; init; } = string.Empty;

    /// <summary>Gets the median lifetime of the run.</summary>
    public TimeSpan Cadence { get; init; }

    /// <summary>Gets the run's shortest lifetime.</summary>
    public TimeSpan Shortest { get; init; }

    /// <summary>Gets the run's longest lifetime.</summary>
    public TimeSpan Longest { get; init; }

    /// <summary>Gets the median growth per lifetime, in bytes (NaN when unknown).</summary>
    public double GrowthPerLifetime { get; init; } = double.NaN;

    /// <summary>Gets the growth per lifetime over the cadence, in bytes per second.</summary>
    public double RatePerSecond { get; init; }

    /// <summary>Gets the slowest lifetime's growth rate.</summary>
    public double RateLowerPerSecond { get; init; }

    /// <summary>Gets the fastest lifetime's growth rate.</summary>
    public double RateUpperPerSecond { get; init; }

    /// <summary>Gets the newest lifetime's binding limit, -1 when unknown.</summary>
    public long LimitBytes { get; init; } = -1;

    /// <summary>Gets its name.</summary>
    public string? Limit { get; init; }

    /// <summary>Gets the newest leak signature of the run, or <see langword="null"/>.</summary>
    public string? Signature { get; init; }

    /// <summary>Builds the verdict.</summary>
    /// <param name="now">The evaluation time.</param>
    /// <returns>The <c>restart_cadence</c> verdict.</returns>
    public LeakVerdict ToVerdict(DateTimeOffset now) => new()
    {
        Signal = LeakSignals.RestartCadence,
        State = State,
        EvaluatedAt = now,
        Since = now,
        Horizon = Cadence,
        GrowthRatePerSecond = RatePerSecond,
        GrowthRateLowerPerSecond = RateLowerPerSecond,
        GrowthRateUpperPerSecond = RateUpperPerSecond,
        GrowthSinceBaseline = double.IsFinite(GrowthPerLifetime) ? GrowthPerLifetime : 0,
        CurrentValue = double.IsFinite(GrowthPerLifetime) ? GrowthPerLifetime : 0,
        Reason = Reason,
    };
}

/// <summary>The <c>restart_cadence</c> channel's evaluator: the signal has no series; its verdict is set at start (and cleared) by the monitor.</summary>
internal sealed class RestartCadenceEvaluator : ISignalEvaluator
{
    /// <inheritdoc />
    public LeakVerdict Evaluate(DateTimeOffset now, MultiResolutionSeries history, double? limit) => new()
    {
        Signal = LeakSignals.RestartCadence,
        State = LeakState.InsufficientData,
        EvaluatedAt = now,
        Since = now,
        Reason = "Judged at start from the recorded lifetimes.",
    };
}
