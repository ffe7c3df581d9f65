namespace LeakGuard.Cli;

/// <summary>The options of one <c>leakguard analyze</c> run.</summary>
internal sealed class AnalyzeRequest
{
    /// <summary>Gets the CSV file's path.</summary>
    public required string Path { get; init; }

    /// <summary>Gets the limit, if any.</summary>
    public double? Limit { get; init; }

    /// <summary>Gets the signal name.</summary>
    public required string Signal { get; init; }

    /// <summary>Gets a value indicating whether to print JSON.</summary>
    public bool Json { get; init; }

    /// <summary>Gets the shortest horizon as typed, or <see langword="null"/> for the default.</summary>
    public string? Window { get; init; }

    /// <summary>Gets the warm-up as typed, or <see langword="null"/> for the default.</summary>
    public string? WarmUp { get; init; }

    /// <summary>Gets the sensitivity.</summary>
    public DetectionSensitivity Sensitivity { get; init; }

    /// <summary>Gets the urgency horizon as typed, or <see langword="null"/> for the default (<see cref="DetectionOptions.UrgencyHorizon"/>).</summary>
    public string? UrgencyHorizon { get; init; }
}
