using System.Globalization;
using System.Text;
using LeakGuard.Formatting;

namespace LeakGuard.Investigation;

/// <summary>Renders a <see cref="LeakReport"/> as text: a one-line finding for log lines and a tree for the CLI.</summary>
internal static class LeakReportText
{
    /// <summary>The signal name of investigations requested by hand.</summary>
    public const string ManualSignal = "manual";

    // The text is read on a screen (a one-holder leak in under 40 lines): the JSON keeps every chain, stack and frame.
    private const int MaxPathsShown = 2;
    private const int MaxSitesShown = 2;
    private const int MaxApplicationFrames = 3;

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
        return site.SurvivingShare is { } kept
            ? string.Create(CultureInfo.InvariantCulture, $"{frame} ({kept * 100:0}% of the survivors)")
            : string.Create(CultureInfo.InvariantCulture, $"{frame} ({site.Share * 100:0}%)");
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
                .Append(allocations.RecordedSeconds > 0 && allocations.RecordedSeconds < allocations.DurationSeconds * 0.95
                    ? string.Create(culture, $" (sampled in bursts, {Readable.Duration(allocations.RecordedSeconds)} in all: the process allocates faster than the recording's budget; bytes scaled to the whole window)")
                    : string.Empty)
                .Append(allocations.RankedBySurvival
                    ? string.Create(culture, $", ranked by the bytes alive after {allocations.GarbageCollections} GCs")
                    : allocations.SurvivalMissing is { } why ? ", ranked by bytes allocated: " + why : string.Empty)
                .AppendLine();
        }

        if (report.Native is { } native)
        {
            // Beside managed growth (a managed leak's or a manual report), the readings are context: their finding only.
            if (report.GrowingTypes.Count > 0 && !LeakInvestigator.IsNativeSignal(report.Signal))
            {
                text.Append("  native: ").Append(native.Finding).AppendLine(" (readings in the JSON)");
            }
            else
            {
                NativeReportText.Append(text, native);
            }
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

        var main = KnownPatterns.Explain(report)?.Pattern;
        for (var t = 0; t < report.GrowingTypes.Count; t++)
        {
            var type = report.GrowingTypes[t];
            var lastType = t == report.GrowingTypes.Count - 1;
            text.Append(lastType ? "└─ " : "├─ ")
                .Append(culture, $"{type.Type}  +{FormatCount(type.CountDelta)} objects, +{FormatBytes(type.BytesDelta)} (now {FormatCount(type.CountAfter)}, {FormatBytes(type.BytesAfter)})")
                .AppendLine();
            var indent = lastType ? "   " : "│  ";

            // The report's main pattern is told once, above the types; another one is named where it applies.
            if (type.Pattern is { } typePattern && typePattern.Id != main?.Id)
            {
                text.Append(indent).Append("pattern ").AppendLine(typePattern.Id);
            }

            if (t == 0)
            {
                AppendTopType(text, indent, type);
            }
            else
            {
                AppendMinorType(text, indent, report, t);
            }
        }

        return text.ToString();
    }

    // The top growing type in full: its main chains step by step, and its top stacks from the allocating frame out to
    // the first application frames.
    private static void AppendTopType(StringBuilder text, string indent, GrowingType type)
    {
        var culture = CultureInfo.InvariantCulture;
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
            text.Append(indent).Append(HasSites(type) ? "├─ " : "└─ ").Append(MoreChains(type, shown)).AppendLine();
        }

        if (type.AllocationSites is not { Count: > 0 } sites)
        {
            return;
        }

        var shownSites = Math.Min(sites.Count, MaxSitesShown);
        for (var s = 0; s < shownSites; s++)
        {
            var site = sites[s];
            var last = s == shownSites - 1;
            text.Append(indent).Append(last ? "└─ " : "├─ ");
            if (site.SurvivingBytes is { } kept)
            {
                text.Append(culture, $"{site.SurvivingShare * 100:0}% of the survivors allocated at (~{FormatBytes(kept)} alive at the end of ~{FormatBytes(site.EstimatedBytes)} allocated, {site.Samples} samples)");
            }
            else
            {
                text.Append(culture, $"{site.Share * 100:0}% allocated at (~{FormatBytes(site.EstimatedBytes)}, {site.Samples} samples)");
            }

            text.AppendLine();
            var frameIndent = indent + (last ? "   " : "│  ");
            foreach (var frame in ShownFrames(site.Frames))
            {
                text.Append(frameIndent).Append("at ").AppendLine(frame);
            }

            if (site.Frames.Count == 0)
            {
                text.Append(frameIndent).AppendLine("(no stack)");
            }
        }
    }

    // Any other type in two lines: who holds it (its main chain on one line; the earlier type whose chain it runs along,
    // or the earlier type that holds it) and where it was mostly allocated (the top stack's innermost application frame).
    private static void AppendMinorType(StringBuilder text, string indent, LeakReport report, int index)
    {
        var culture = CultureInfo.InvariantCulture;
        var type = report.GrowingTypes[index];
        var allocated = AllocatedAt(type);
        if (type.RetentionPaths.Count > 0)
        {
            var path = type.RetentionPaths[0];
            text.Append(indent).Append(allocated.Length > 0 ? "├─ " : "└─ ").Append(culture, $"{path.Share * 100:0}% held by ");
            if (SameChainAs(report, index) is { } along)
            {
                text.Append(path.Root).Append(", on the chain of ").Append(along);
            }
            else if (HeldByEarlier(report, index) is ({ } holder, var from))
            {
                // A session's buffer: the session's chain is told above, only the steps past it are new.
                text.Append("the ").Append(holder).Append(" above");
                AppendSteps(text, path.Path, from);
            }
            else
            {
                text.Append(path.Root);
                AppendSteps(text, path.Path, 0);
            }

            if (type.RetentionPaths.Count > 1)
            {
                var rest = type.RetentionPaths.Skip(1).Sum(other => other.Share);
                text.Append(culture, $" (and {type.RetentionPaths.Count - 1} more {(type.RetentionPaths.Count == 2 ? "chain" : "chains")}, {rest * 100:0}%)");
            }

            text.AppendLine();
        }

        if (allocated.Length > 0)
        {
            var site = type.AllocationSites![0];
            var bytes = site.SurvivingBytes is { } kept
                ? $"~{FormatBytes(kept)} alive of ~{FormatBytes(site.EstimatedBytes)} allocated"
                : $"~{FormatBytes(site.EstimatedBytes)}";
            text.Append(indent).Append(culture, $"└─ allocated at {allocated}, {bytes} in {site.Samples} samples").AppendLine();
        }
    }

    private static void AppendSteps(StringBuilder text, IReadOnlyList<string> steps, int from)
    {
        for (var s = from; s < steps.Count; s++)
        {
            text.Append(" → ").Append(steps[s]);
        }
    }

    // A type whose main chain runs through an earlier type's whole chain (the Byte[] of a Session → Byte[] leak): the
    // earlier type, and where the steps past it start.
    private static (string Holder, int From)? HeldByEarlier(LeakReport report, int index)
    {
        var paths = report.GrowingTypes[index].RetentionPaths;
        for (var e = 0; e < index; e++)
        {
            var other = report.GrowingTypes[e].RetentionPaths;
            if (other.Count > 0 && other[0].Path.Count > 0 && other[0].Root == paths[0].Root
                && other[0].Path.Count < paths[0].Path.Count && IsPrefix(other[0].Path, paths[0].Path))
            {
                return (report.GrowingTypes[e].Type, other[0].Path.Count);
            }
        }

        return null;
    }

    // "2 more chains hold 12%, see the JSON".
    private static string MoreChains(GrowingType type, int shown)
    {
        var rest = type.RetentionPaths.Skip(shown).Sum(path => path.Share);
        var count = type.RetentionPaths.Count - shown;
        return string.Create(CultureInfo.InvariantCulture, $"{count} more {(count == 1 ? "chain holds" : "chains hold")} {rest * 100:0}%, see the JSON");
    }

    /// <summary>
    /// Picks the frames the text shows of a stack: the innermost frame (what allocated), then application frames until
    /// <see cref="MaxApplicationFrames"/> of them are shown; the framework frames between them and the outer frames are
    /// left to the JSON. A stack without application frames shows its innermost frames.
    /// </summary>
    /// <param name="frames">The stack, innermost frame first.</param>
    /// <returns>The frames to show, innermost first.</returns>
    internal static IReadOnlyList<string> ShownFrames(IReadOnlyList<string> frames)
    {
        if (!frames.Any(IsApplicationFrame))
        {
            return [.. frames.Take(MaxApplicationFrames)];
        }

        var shown = new List<string>(MaxApplicationFrames + 1);
        var applicationFrames = 0;
        for (var f = 0; f < frames.Count && applicationFrames < MaxApplicationFrames; f++)
        {
            var application = IsApplicationFrame(frames[f]);
            if (f == 0 || application)
            {
                shown.Add(frames[f]);
                applicationFrames += application ? 1 : 0;
            }
        }

        return shown;
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
