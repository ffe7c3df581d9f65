using System.Globalization;
using System.Text;
using LeakGuard.Formatting;

namespace LeakGuard.Investigation;

/// <summary>Renders a <see cref="LeakReport"/> as text: a one-line finding for log lines and a tree for the CLI.</summary>
internal static class LeakReportText
{
    /// <summary>The signal name of investigations requested by hand.</summary>
    public const string ManualSignal = "manual";

    /// <summary>Gets the report's main finding in one line, for the leak log line.</summary>
    /// <param name="report">The report.</param>
    /// <returns>For example <c>MyApp.Session +120,000 (4.58 MiB), held by static field Sessions</c>; empty when nothing grew.</returns>
    public static string TopFinding(LeakReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        if (report.GrowingTypes.Count == 0)
        {
            return string.Empty;
        }

        var top = report.GrowingTypes[0];
        var root = top.RetentionPaths.Count > 0 ? top.RetentionPaths[0].Root : "an unknown root";
        return string.Create(CultureInfo.InvariantCulture, $"{top.Type} +{FormatCount(top.CountDelta)} ({FormatBytes(top.BytesDelta)}), held by {root}");
    }

    /// <summary>Renders the whole report as an indented tree.</summary>
    /// <param name="report">The report.</param>
    /// <returns>The text, ending with a newline.</returns>
    public static string Tree(LeakReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        var text = new StringBuilder();
        var culture = CultureInfo.InvariantCulture;
        text.Append(culture, $"Leak report: {report.Signal}, detected {report.DetectedAt:u}").AppendLine();
        text.Append(culture, $"  growth {Readable.Rate(report.GrowthBytesPerSecond, isBytes: true)}");
        if (report.TimeToLimitSeconds is { } seconds)
        {
            text.Append(culture, $", limit reached in {Readable.Duration(seconds)}");
        }

        text.AppendLine();
        text.Append(culture, $"  snapshots {report.Snapshots.Before:u} → {report.Snapshots.After:u}").AppendLine();
        if (report.GrowingTypes.Count == 0)
        {
            text.AppendLine("  no type grew between the snapshots");
            return text.ToString();
        }

        for (var t = 0; t < report.GrowingTypes.Count; t++)
        {
            var type = report.GrowingTypes[t];
            var lastType = t == report.GrowingTypes.Count - 1;
            text.Append(lastType ? "└─ " : "├─ ")
                .Append(culture, $"{type.Type}  +{FormatCount(type.CountDelta)} objects, +{FormatBytes(type.BytesDelta)} (now {FormatCount(type.CountAfter)}, {FormatBytes(type.BytesAfter)})")
                .AppendLine();
            var indent = lastType ? "   " : "│  ";
            for (var p = 0; p < type.RetentionPaths.Count; p++)
            {
                var path = type.RetentionPaths[p];
                var lastPath = p == type.RetentionPaths.Count - 1;
                text.Append(indent).Append(lastPath ? "└─ " : "├─ ").Append(culture, $"{path.Share * 100:0}% held by {path.Root}").AppendLine();
                var pathIndent = indent + (lastPath ? "   " : "│  ");
                foreach (var step in path.Path)
                {
                    text.Append(pathIndent).Append("→ ").AppendLine(step);
                }
            }
        }

        return text.ToString();
    }

    private static string FormatBytes(long bytes) => Readable.Bytes(bytes);

    private static string FormatCount(long count) => count.ToString("#,0", CultureInfo.InvariantCulture);
}
