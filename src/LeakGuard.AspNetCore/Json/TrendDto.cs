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

    /// <summary>Gets when the projection reaches the memory limit, or <see langword="null"/>.</summary>
    public DateTimeOffset? LimitReachedAt { get; init; }
}
