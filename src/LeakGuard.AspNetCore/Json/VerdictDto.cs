using LeakGuard.Formatting;

namespace LeakGuard.AspNetCore.Json;

/// <summary>A <see cref="LeakVerdict"/> as JSON: durations in seconds, non-finite numbers as <see langword="null"/>.</summary>
internal sealed class VerdictDto
{
    /// <summary>Gets the signal name.</summary>
    public required string Signal { get; init; }

    /// <summary>Gets the unit: <c>By</c> for memory signals, <c>1</c> for counts and ratios.</summary>
    public required string Unit { get; init; }

    /// <summary>Gets the state.</summary>
    public LeakState State { get; init; }

    /// <summary>Gets when the signal entered the state.</summary>
    public DateTimeOffset Since { get; init; }

    /// <summary>Gets when the verdict was evaluated.</summary>
    public DateTimeOffset EvaluatedAt { get; init; }

    /// <summary>Gets the deciding horizon in seconds.</summary>
    public double HorizonSeconds { get; init; }

    /// <summary>Gets the growth rate per second.</summary>
    public double? GrowthRatePerSecond { get; init; }

    /// <summary>Gets the lower bound of the growth rate per second.</summary>
    public double? GrowthRateLowerPerSecond { get; init; }

    /// <summary>Gets the upper bound of the growth rate per second.</summary>
    public double? GrowthRateUpperPerSecond { get; init; }

    /// <summary>Gets the growth since the window's start.</summary>
    public double? GrowthSinceBaseline { get; init; }

    /// <summary>Gets the trend test's p-value.</summary>
    public double? PValue { get; init; }

    /// <summary>Gets the last floor value.</summary>
    public double? CurrentValue { get; init; }

    /// <summary>Gets the projected seconds to the memory limit.</summary>
    public double? TimeToLimitSeconds { get; init; }

    /// <summary>Gets the earliest projected seconds to the limit.</summary>
    public double? TimeToLimitEarliestSeconds { get; init; }

    /// <summary>Gets the latest projected seconds to the limit.</summary>
    public double? TimeToLimitLatestSeconds { get; init; }

    /// <summary>Gets the limit the time to limit is projected to, in bytes, or <see langword="null"/>.</summary>
    public long? LimitBytes { get; init; }

    /// <summary>Gets which limit that is (<c>container</c>, <c>gc_heap_limit</c>, <c>configured</c>, <c>gc_available_memory</c>), or <see langword="null"/>.</summary>
    public string? Limit { get; init; }

    /// <summary>Gets which usage counts against it (<c>cgroup_working_set</c>, <c>rss</c>, <c>cgroup_usage</c>, <c>gc_heap</c>), or <see langword="null"/>.</summary>
    public string? Usage { get; init; }

    /// <summary>Gets the detector's explanation (the detail behind <see cref="Summary"/>).</summary>
    public string Reason { get; init; } = string.Empty;

    /// <summary>Gets what the verdict means, in one short sentence for people.</summary>
    public string Summary { get; init; } = string.Empty;

    /// <summary>Gets the growth rate for people (<c>+2.10 MiB/min</c>, <c>+14,400/h</c>, <c>paused</c>).</summary>
    public string RateText { get; init; } = string.Empty;

    /// <summary>Gets the time to the limit for people (<c>2 d 9 h</c>), or <see langword="null"/> unless the signal is judged to grow.</summary>
    public string? TimeToLimitText { get; init; }

    /// <summary>Converts a verdict.</summary>
    /// <param name="verdict">The verdict.</param>
    /// <returns>The JSON shape.</returns>
    public static VerdictDto From(LeakVerdict verdict) => new()
    {
        Signal = verdict.Signal,
        Unit = LeakSignals.GrowsInBytes(verdict.Signal) ? "By" : "1",
        State = verdict.State,
        Since = verdict.Since,
        EvaluatedAt = verdict.EvaluatedAt,
        HorizonSeconds = verdict.Horizon.TotalSeconds,
        GrowthRatePerSecond = Finite(verdict.GrowthRatePerSecond),
        GrowthRateLowerPerSecond = Finite(verdict.GrowthRateLowerPerSecond),
        GrowthRateUpperPerSecond = Finite(verdict.GrowthRateUpperPerSecond),
        GrowthSinceBaseline = Finite(verdict.GrowthSinceBaseline),
        PValue = Finite(verdict.PValue),
        CurrentValue = Finite(verdict.CurrentValue),
        TimeToLimitSeconds = Seconds(verdict.TimeToLimit),
        TimeToLimitEarliestSeconds = Seconds(verdict.TimeToLimitEarliest),
        TimeToLimitLatestSeconds = Seconds(verdict.TimeToLimitLatest),
        LimitBytes = verdict.LimitBytes,
        Limit = verdict.Limit,
        Usage = verdict.Usage,
        Reason = verdict.Reason,
        Summary = VerdictWording.Summary(verdict),
        RateText = VerdictWording.Rate(verdict),
        TimeToLimitText = VerdictWording.TimeToLimit(verdict),
    };

    /// <summary>Maps NaN and infinities to <see langword="null"/>, which JSON can carry.</summary>
    /// <param name="value">The value.</param>
    /// <returns>The value, or <see langword="null"/>.</returns>
    public static double? Finite(double value) => double.IsFinite(value) ? value : null;

    private static double? Seconds(TimeSpan? value) => value is { } v ? Finite(v.TotalSeconds) : null;
}
