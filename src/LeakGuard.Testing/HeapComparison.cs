using LeakGuard.Investigation;

namespace LeakGuard.Testing;

/// <summary>Lines up the per-type counts of an earlier snapshot with a later graph, by runtime type id.</summary>
internal static class HeapComparison
{
    /// <summary>Computes the change of every type of <paramref name="after"/>, excluded types left out.</summary>
    /// <param name="before">The earlier snapshot's counts.</param>
    /// <param name="after">The later graph.</param>
    /// <param name="typeNames">The names to report: the graph's raw names, or its rendered names.</param>
    /// <param name="only">When given, only these type ids are compared.</param>
    /// <returns>The changes, one per type id.</returns>
    public static List<TypeChange> Compare(NativeTypeCounts before, HeapGraph after, string[] typeNames, IReadOnlyCollection<ulong>? only = null)
    {
        var previous = new Dictionary<ulong, int>(before.Length);
        for (var i = 0; i < before.Length; i++)
        {
            previous.TryAdd(before.IdAt(i), i);
        }

        var (ids, counts, bytes) = RetainedTypeProbe.CountByTypeId(after);
        var changes = new List<TypeChange>();
        for (var t = 0; t < ids.Length; t++)
        {
            if ((only is not null && !only.Contains(ids[t])) || ExcludedTypes.IsExcluded(after.TypeNames[t], typeNames[t]))
            {
                continue;
            }

            long countBefore = 0, bytesBefore = 0;
            if (previous.TryGetValue(ids[t], out var p))
            {
                countBefore = before.CountAt(p);
                bytesBefore = before.BytesAt(p);
            }

            changes.Add(new TypeChange(typeNames[t], countBefore, counts[t], bytesBefore, bytes[t], ids[t]));
        }

        return changes;
    }
}
