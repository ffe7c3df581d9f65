namespace LeakGuard.IntegrationTests.Zoo;

/// <summary>One entry of a growing type's <c>retentionPaths</c>.</summary>
internal sealed class ZooRetentionPath
{
    public required string Root { get; init; }

    public double Share { get; init; }

    public required IReadOnlyList<string> Path { get; init; }

    public override string ToString() => $"{Root} → {string.Join(" → ", Path)}";
}
