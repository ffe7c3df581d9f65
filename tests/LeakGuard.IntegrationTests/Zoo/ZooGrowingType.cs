namespace LeakGuard.IntegrationTests.Zoo;

/// <summary>One entry of a report's <c>growingTypes</c>.</summary>
internal sealed class ZooGrowingType
{
    public required string Type { get; init; }

    public long CountDelta { get; init; }

    public long BytesDelta { get; init; }

    public required IReadOnlyList<ZooRetentionPath> RetentionPaths { get; init; }

    /// <summary>Gets the id of the known pattern the report matched for this type, or <see langword="null"/>.</summary>
    public string? PatternId { get; init; }

    /// <summary>Gets the fix the report gives for the matched pattern, or <see langword="null"/>.</summary>
    public string? PatternFix { get; init; }

    /// <summary>Gets the report's allocation stacks for this type (issue 18), the most sampled first; each a list of frames, innermost first.</summary>
    public IReadOnlyList<IReadOnlyList<string>> AllocationSites { get; init; } = [];

    /// <summary>Gets each allocation site's figures (estimated, surviving bytes and shares) as the report's JSON, frames left out.</summary>
    public IReadOnlyList<string> AllocationSiteFigures { get; init; } = [];
}
