namespace LeakGuard.DetectionQuality;

/// <summary>
/// The <c>leakguard analyze</c> options every replay adds after the file (and its <c>--limit</c>): empty for the
/// command's defaults, <c>--sensitivity X</c> for the trade-off. Set once, before any replay starts.
/// </summary>
internal static class AnalyzeOptions
{
    /// <summary>Gets or sets the extra options.</summary>
    public static string[] Extra { get; set; } = [];

    /// <summary>Gets the sensitivity the replays use (the command's default when not given).</summary>
    public static string Sensitivity => Extra.Length == 2 ? Extra[1] : "Normal";
}
