namespace LeakGuard.Investigation;

/// <summary>Joins an allocation recording with a heap diff: for each growing type, the stacks that allocated it most.</summary>
internal static class AllocationJoin
{
    /// <summary>The most stacks kept per growing type.</summary>
    public const int SitesPerType = 3;

    /// <summary>Finds the top allocation sites of the given types.</summary>
    /// <param name="stacks">The recording's samples per type and stack.</param>
    /// <param name="readableName">Renders a sampled type (id, raw name) under the name the heap diff uses.</param>
    /// <param name="types">The growing types' readable names.</param>
    /// <param name="bySurvival">
    /// Whether to rank by the estimated bytes that survived the window (ties by bytes allocated) rather than by bytes allocated:
    /// a stack that churns the type as short-lived garbage then ranks below the one whose objects stay.
    /// </param>
    /// <returns>Per growing type, its sites, first the one that allocated (or kept) the most.</returns>
    public static Dictionary<string, IReadOnlyList<AllocationSite>> Sites(
        IReadOnlyList<AllocationStack> stacks, Func<ulong, string, string> readableName, IReadOnlyCollection<string> types, bool bySurvival = false)
    {
        ArgumentNullException.ThrowIfNull(stacks);
        ArgumentNullException.ThrowIfNull(readableName);
        ArgumentNullException.ThrowIfNull(types);
        var wanted = new HashSet<string>(types, StringComparer.Ordinal);
        var byType = new Dictionary<string, List<AllocationStack>>(StringComparer.Ordinal);
        var names = new Dictionary<ulong, string>();
        foreach (var stack in stacks)
        {
            if (!names.TryGetValue(stack.TypeId, out var name))
            {
                name = readableName(stack.TypeId, stack.RawTypeName);
                names[stack.TypeId] = name;
            }

            if (wanted.Contains(name))
            {
                if (!byType.TryGetValue(name, out var list))
                {
                    byType[name] = list = [];
                }

                list.Add(stack);
            }
        }

        var result = new Dictionary<string, IReadOnlyList<AllocationSite>>(StringComparer.Ordinal);
        foreach (var type in wanted)
        {
            result[type] = byType.TryGetValue(type, out var list) ? Top(list, bySurvival) : [];
        }

        return result;
    }

    private static AllocationSite[] Top(List<AllocationStack> stacks, bool bySurvival)
    {
        // The same type under two type ids (one per generic instantiation rendered alike) merges by frames.
        var merged = stacks
            .GroupBy(stack => string.Join('\n', stack.Frames), StringComparer.Ordinal)
            .Select(group => (
                Frames: group.First().Frames,
                Samples: group.Sum(s => s.Samples),
                Bytes: group.Sum(s => s.EstimatedBytes),
                Survival: group.Aggregate(default(SampleSurvival), (sum, s) => sum.Plus(s.Survival))))
            .ToList();
        // A stack with no judged sample is weighed like its type's judged samples (SampleSurvival.EstimatedSurvivingBytes).
        var typeRate = SampleSurvival.RateOf(merged.Select(site => (site.Survival, site.Bytes)));
        var weighed = merged
            .Select(site => (site.Frames, site.Samples, site.Bytes, SurvivingSamples: site.Survival.Samples, SurvivingBytes: site.Survival.EstimatedSurvivingBytes(site.Bytes, typeRate)))
            .ToList();
        var total = weighed.Sum(site => site.Bytes);
        var surviving = weighed.Sum(site => site.SurvivingBytes);
        return
        [
            .. weighed
                .OrderByDescending(site => bySurvival ? site.SurvivingBytes : site.Bytes)
                .ThenByDescending(site => site.Bytes)
                .ThenBy(site => string.Join('\n', site.Frames), StringComparer.Ordinal)
                .Take(SitesPerType)
                .Select(site => new AllocationSite
                {
                    Frames = site.Frames,
                    Samples = site.Samples,
                    EstimatedBytes = (long)Math.Round(site.Bytes),
                    Share = total > 0 ? Math.Round(site.Bytes / total, 4) : 0,
                    SurvivingSamples = bySurvival ? site.SurvivingSamples : null,
                    SurvivingBytes = bySurvival ? (long)Math.Round(site.SurvivingBytes) : null,
                    SurvivingShare = bySurvival ? (surviving > 0 ? Math.Round(site.SurvivingBytes / surviving, 4) : 0) : null,
                }),
        ];
    }
}
