namespace LeakGuard.IntegrationTests.Zoo;

/// <summary>One entry of a report's <c>growingTypes</c>.</summary>
internal sealed class ZooGrowingType
{
    public required string Type { get; init; }

    public long CountDelta { get; init; }

    public long BytesDelta { get; init; }

    public required IReadOnlyList<ZooRetentionPath> RetentionPaths { get; init; }
}
