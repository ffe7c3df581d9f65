using LeakGuard.Retention;

namespace LeakGuard.Investigation;

// The retention watch's investigation: one snapshot, the retention paths of the retained objects' types, their labels.
internal sealed partial class LeakInvestigator
{
    private readonly StaticFieldResolver _staticFields = new();

    /// <summary>
    /// Takes one heap snapshot and reports, for each type of the retained watched objects, the paths from GC roots that
    /// keep its instances alive and the labels the objects were watched with. Automatic: the safety limits apply.
    /// </summary>
    /// <param name="retained">The retained objects grouped by type.</param>
    /// <param name="memoryLimitBytes">The effective memory limit for the headroom check, or <see langword="null"/>.</param>
    /// <param name="cancellationToken">Cancels the investigation.</param>
    /// <returns>The report (signal <c>retained_objects</c>), or <see langword="null"/> when skipped (the reason is logged).</returns>
    public async Task<LeakReport?> InvestigateRetainedAsync(IReadOnlyList<RetainedTypeGroup> retained, long? memoryLimitBytes, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(retained);
        if (SkipReason(automatic: true, cooldownKind: InvestigationKind.Managed, memoryLimitBytes) is { } reason)
        {
            InvestigationLog.InvestigationSkipped(_logger, reason);
            return null;
        }

        return await RunExclusiveAsync(cooldownKind: InvestigationKind.Managed, token => RunRetainedAsync(retained, token), cancellationToken).ConfigureAwait(false);
    }

    private async Task<LeakReport?> RunRetainedAsync(IReadOnlyList<RetainedTypeGroup> retained, CancellationToken cancellationToken)
    {
        var (summary, rendered) = await TakeSummaryAsync(keepGraph: true, cancellationToken).ConfigureAwait(false);
        var names = new string[retained.Count];
        for (var i = 0; i < names.Length; i++)
        {
            names[i] = NameIn(rendered!, retained[i].Type);
        }

        var paths = RetentionPathFinder.Find(rendered!.Graph, rendered.TypeNames, names, own: rendered.Own);
        rendered = null; // the graph is released before the report is published
        var statistics = summary.Types.ToDictionary(t => t.Type, StringComparer.Ordinal);
        var report = new LeakReport
        {
            Signal = LeakSignals.RetainedObjects,
            DetectedAt = summary.TakenAt,
            Snapshots = new SnapshotPair { Before = summary.TakenAt, After = summary.TakenAt },
            GrowingTypes =
            [
                .. retained.Select((group, i) => new GrowingType
                {
                    Type = names[i],
                    CountDelta = group.Count,
                    CountAfter = statistics.GetValueOrDefault(names[i])?.Count ?? 0,
                    BytesAfter = statistics.GetValueOrDefault(names[i])?.Bytes ?? 0,
                    RetentionPaths = _staticFields.Qualify(paths.GetValueOrDefault(names[i]) ?? []),
                    Labels = group.Labels,
                }.Explained()),
            ],
        };

        await PublishAsync(report, cancellationToken).ConfigureAwait(false);
        return report;
    }

    private static string NameIn(RenderedGraph graph, Type type)
    {
        var index = Array.IndexOf(graph.Graph.TypeIds, RetainedTypeProbe.TypeIdOf(type));
        return index >= 0 ? graph.TypeNames[index] : TypeNameFormatter.Format(type.FullName ?? type.Name);
    }
}
