namespace LeakGuard.AspNetCore.Json;

/// <summary>The line the page projects forward: it passes through the anchor with the verdict's rate.</summary>
internal sealed class TrendDto
{
    /// <summary>Gets the verdict's state.</summary>
    public LeakState State { get; init; }

    /// <summary>Gets the growth rate per second.</summary>
    public double RatePerSecond { get; init; }

    /// <summary>Gets the time of the anchor (the evaluation).</summary>
    public DateTimeOffset AnchorTime { get; init; }

    /// <summary>Gets the value at the anchor (the last floor).</summary>
    public double AnchorValue { get; init; }

    /// <summary>Gets the projection's label: the time to the limit when it is reached, else the rate (<c>limit in 2 d 9 h</c>, <c>+2.10 MiB/min</c>).</summary>
    public string Label { get; init; } = string.Empty;

    /// <summary>Gets when the projection reaches the memory limit, or <see langword="null"/>.</summary>
    public DateTimeOffset? LimitReachedAt { get; init; }
}
