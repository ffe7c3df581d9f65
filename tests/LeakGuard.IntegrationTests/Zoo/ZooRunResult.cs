namespace LeakGuard.IntegrationTests.Zoo;

/// <summary>What one scenario run showed, for the test's assertions and the quality table.</summary>
internal sealed class ZooRunResult
{
    public required ZooExpectation Expectation { get; init; }

    /// <summary>Gets or sets the child's clock at the first Leaking verdict in the expected class (controls: any class).</summary>
    public double? DetectedAtSeconds { get; set; }

    public string? DetectedSignal { get; set; }

    /// <summary>Gets or sets every signal that reached Leaking, with the child's clock, in order.</summary>
    public List<(string Signal, double AtSeconds)> LeakingSignals { get; } = [];

    /// <summary>Gets or sets the signals that were Suspected at some point (never Leaking is fine for a control).</summary>
    public SortedSet<string> SuspectedSignals { get; } = new(StringComparer.Ordinal);

    public ZooReport? Report { get; set; }

    public double? ReportAtSeconds { get; set; }

    public ZooRetentionPath? HolderPath { get; set; }

    public double RunSeconds { get; set; }

    public bool ExitedCleanly { get; set; }

    public ZooLine? Overhead { get; set; }

    public double? PeakRssBytes { get; set; }

    public double? CpuSeconds { get; set; }

    public string? Failure { get; set; }

    /// <summary>Gets or sets the scenario's one-line description from its <c>ZOO-START</c> line.</summary>
    public string? Description { get; set; }
}
