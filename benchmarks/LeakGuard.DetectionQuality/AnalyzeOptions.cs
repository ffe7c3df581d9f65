namespace LeakGuard.DetectionQuality;

/// <summary>
/// The <c>leakguard analyze</c> options every replay adds after the file (and its <c>--limit</c>): none for the
/// command's defaults, <c>--sensitivity X</c> and <c>--urgency-horizon D</c> for the trade-off. Set once per evaluation,
/// before its replays start.
/// </summary>
internal static class AnalyzeOptions
{
    /// <summary>The command's default urgency horizon, as the trade-off names it.</summary>
    public const string DefaultUrgencyHorizon = "24h";

    /// <summary>Gets or sets the sensitivity the replays use (the command's default when <see langword="null"/>).</summary>
    public static string? SensitivityOption { get; set; }

    /// <summary>Gets or sets the urgency horizon the replays use (the command's default when <see langword="null"/>).</summary>
    public static string? UrgencyHorizonOption { get; set; }

    /// <summary>Gets the extra options.</summary>
    public static string[] Extra =>
    [
        .. SensitivityOption is { } s ? new[] { "--sensitivity", s } : [],
        .. UrgencyHorizonOption is { } h ? new[] { "--urgency-horizon", h } : [],
    ];

    /// <summary>Gets the sensitivity the replays use.</summary>
    public static string Sensitivity => SensitivityOption ?? "Normal";

    /// <summary>Gets the urgency horizon the replays use.</summary>
    public static string UrgencyHorizon => UrgencyHorizonOption ?? DefaultUrgencyHorizon;

    /// <summary>Gets a value indicating whether the replays run with the command's defaults.</summary>
    public static bool AreDefaults => Sensitivity == "Normal" && UrgencyHorizon == DefaultUrgencyHorizon;
}
