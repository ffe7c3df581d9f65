using System.Globalization;
using System.Text;
using LeakGuard.Formatting;

namespace LeakGuard.Investigation;

/// <summary>Renders a <see cref="LeakReport"/> as text: a one-line finding for log lines and a tree for the CLI.</summary>
internal static class LeakReportText
{
    /// <summary>The signal name of investigations requested by hand.</summary>
    public const string ManualSignal = "manual";

    // The text is read on a screen: the JSON keeps every chain.
    private const int MaxPathsShown = 2;
    private const int MaxSitesShown = 2;
    private const int MaxFramesShown = 4;

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
        var pattern = KnownPatterns.Explain(report) is ({ } known, _) ? $" — {known.Title}; fix: {known.Fix}" : string.Empty;
        var allocated = AllocatedAt(top) is { Length: > 0 } site ? ", allocated at " + site : string.Empty;
        return string.Create(CultureInfo.InvariantCulture, $"{top.Type} +{FormatCount(top.CountDelta)} ({FormatBytes(top.BytesDelta)}), held by {root}{allocated}{pattern}");
    }

    /// <summary>Gets where a growing type was mostly allocated, in a few words, for one-line messages.</summary>
    /// <param name="type">The growing type.</param>
    /// <returns>
    /// The top allocation site's innermost application frame (framework frames skipped, the innermost frame when all are
    /// the framework's) with its share, for example <c>MyApp!MyApp.SessionStore.Add(class System.Guid) (92%)</c>; empty
    /// when no allocation was sampled.
    /// </returns>
    public static string AllocatedAt(GrowingType type)
    {
        ArgumentNullException.ThrowIfNull(type);
        if (type.AllocationSites is not [{ Frames.Count: > 0 } site, ..])
        {
            return string.Empty;
        }

        var frame = site.Frames.FirstOrDefault(IsApplicationFrame) ?? site.Frames[0];
        return string.Create(CultureInfo.InvariantCulture, $"{frame} ({site.Share * 100:0}%)");
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
        text.Append(culture, $"  snapshots {report.Snapshots.Before:u} → {report.Snapshots.After:u}");
        if (report.Snapshots.BeforePauseMilliseconds is { } before && report.Snapshots.AfterPauseMilliseconds is { } after)
        {
            text.Append(culture, $", paused {before:0} + {after:0} ms");
        }

        text.AppendLine();
        if (report.Allocations is { Missing: { } missing })
        {
            text.Append("  no allocation stacks: ").AppendLine(missing);
        }
        else if (report.Allocations is { } allocations)
        {
            text.Append(culture, $"  allocation stacks from {allocations.Samples:#,0} {allocations.Event} samples over {Readable.Duration(allocations.DurationSeconds)}")
                .Append(allocations.StoppedEarly ? " (stopped early at its sample cap)" : string.Empty)
                .AppendLine();
        }

        if (report.Native is { } native)
        {
            NativeReportText.Append(text, native);
        }

        if (report.GrowingTypes is [{ Signature: { } signature }, ..])
        {
            text.Append("  signature ").AppendLine(signature);
        }

        if (KnownPatterns.Explain(report) is ({ } pattern, { } subject))
        {
            text.Append(culture, $"  known pattern {pattern.Id} ({subject}): {pattern.Title}").AppendLine();
            text.Append("  why: ").AppendLine(pattern.Why);
            text.Append("  fix: ").AppendLine(pattern.Fix);
        }

        AppendGeneratedAssemblies(text, report.LoadedAssemblies);
        if (report.GrowingTypes.Count == 0)
        {
            text.AppendLine("  nothing grew beyond noise between the snapshots");
            if (report.LargestTypes is { Count: > 0 } largest)
            {
                text.AppendLine("  largest types now:");
                for (var t = 0; t < largest.Count; t++)
                {
                    text.Append(t == largest.Count - 1 ? "└─ " : "├─ ")
                        .Append(culture, $"{largest[t].Type}  {FormatBytes(largest[t].Bytes)} in {FormatCount(largest[t].Count)} objects")
                        .AppendLine();
                }
            }

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
            if (type.Pattern is { } typePattern)
            {
                text.Append(indent).Append("pattern ").AppendLine(typePattern.Id);
            }

            if (SameChainAs(report, t) is { } earlier)
            {
                var path = type.RetentionPaths[0];
                text.Append(indent).Append(culture, $"{(HasSites(type) ? "├─" : "└─")} {path.Share * 100:0}% held by {path.Root}, on the chain of {earlier}").AppendLine();
                AppendSites(text, indent, type);
                continue;
            }

            var shown = Math.Min(type.RetentionPaths.Count, MaxPathsShown);
            for (var p = 0; p < shown; p++)
            {
                var path = type.RetentionPaths[p];
                var lastPath = p == shown - 1 && shown == type.RetentionPaths.Count && !HasSites(type);
                text.Append(indent).Append(lastPath ? "└─ " : "├─ ").Append(culture, $"{path.Share * 100:0}% held by {path.Root}").AppendLine();
                var pathIndent = indent + (lastPath ? "   " : "│  ");
                foreach (var step in path.Path)
                {
                    text.Append(pathIndent).Append("→ ").AppendLine(step);
                }
            }

            if (shown < type.RetentionPaths.Count)
            {
                var rest = type.RetentionPaths.Skip(shown).Sum(path => path.Share);
                text.Append(indent).Append(culture, $"{(HasSites(type) ? "├─" : "└─")} {type.RetentionPaths.Count - shown} more chains hold {rest * 100:0}% (see the JSON)").AppendLine();
            }

            AppendSites(text, indent, type);
        }

        return text.ToString();
    }

    // The newest generated assemblies, same names folded ("Microsoft.GeneratedCode ×10"): the generator is in the name.
    private static void AppendGeneratedAssemblies(StringBuilder text, LoadedAssemblies? assemblies)
    {
        if (assemblies is null)
        {
            return;
        }

        var culture = CultureInfo.InvariantCulture;
        text.Append(culture, $"  generated assemblies: +{FormatCount(assemblies.DynamicBetweenSnapshots)} between the snapshots; loaded now {FormatCount(assemblies.Count)} ({FormatCount(assemblies.Dynamic)} dynamic, {FormatCount(assemblies.Collectible)} collectible)").AppendLine();
        text.Append("  newest: ").AppendLine(Names(assemblies.Newest));
    }

    /// <summary>Lists assemblies by name, same names folded: <c>Microsoft.GeneratedCode ×10</c>.</summary>
    /// <param name="loads">The loads, newest first.</param>
    /// <returns>The names, comma-separated, in order of first appearance.</returns>
    public static string Names(IReadOnlyList<LoadedAssembly> loads) => string.Join(
        ", ",
        loads.GroupBy(load => load.Name, StringComparer.Ordinal).Select(group => group.Count() > 1 ? $"{group.Key} ×{group.Count()}" : group.Key));

    private static bool HasSites(GrowingType type) => type.AllocationSites is { Count: > 0 };

    // "Allocated at" beside "held by": the top stacks, innermost frame first, each frame on its own line.
    private static void AppendSites(StringBuilder text, string indent, GrowingType type)
    {
        if (type.AllocationSites is not { Count: > 0 } sites)
        {
            return;
        }

        var culture = CultureInfo.InvariantCulture;
        var shown = Math.Min(sites.Count, MaxSitesShown);
        for (var s = 0; s < shown; s++)
        {
            var site = sites[s];
            var last = s == shown - 1;
            text.Append(indent).Append(last ? "└─ " : "├─ ")
                .Append(culture, $"{site.Share * 100:0}% allocated at (~{FormatBytes(site.EstimatedBytes)}, {site.Samples} samples)")
                .AppendLine();
            var frameIndent = indent + (last ? "   " : "│  ");
            foreach (var frame in site.Frames.Take(MaxFramesShown))
            {
                text.Append(frameIndent).Append("at ").AppendLine(frame);
            }

            if (site.Frames.Count == 0)
            {
                text.Append(frameIndent).AppendLine("(no stack)");
            }
        }
    }

    private static bool IsApplicationFrame(string frame) =>
        frame != AllocationStackFolder.OwnFrame
        && !frame.StartsWith("System.", StringComparison.Ordinal)
        && !frame.StartsWith("Microsoft.", StringComparison.Ordinal)
        && !frame.StartsWith("netstandard!", StringComparison.Ordinal);

    // A type whose main chain runs along an earlier type's (the Session of a Session → Byte[] leak) is told in one line.
    private static string? SameChainAs(LeakReport report, int index)
    {
        var paths = report.GrowingTypes[index].RetentionPaths;
        if (paths.Count == 0)
        {
            return null;
        }

        for (var e = 0; e < index; e++)
        {
            var other = report.GrowingTypes[e].RetentionPaths;
            if (other.Count > 0 && other[0].Root == paths[0].Root && IsPrefix(paths[0].Path, other[0].Path))
            {
                return report.GrowingTypes[e].Type;
            }
        }

        return null;
    }

    private static bool IsPrefix(IReadOnlyList<string> shorter, IReadOnlyList<string> longer) =>
        shorter.Count <= longer.Count && shorter.Select((step, i) => step == longer[i]).All(same => same);

    private static string FormatBytes(long bytes) => Readable.Bytes(bytes);

    private static string FormatCount(long count) => count.ToString("#,0", CultureInfo.InvariantCulture);
}
