using LeakGuard.Investigation;

namespace LeakGuard.Testing;

/// <summary>Lines up the per-type counts of a first snapshot (by runtime type id) with a second, rendered snapshot.</summary>
internal static class HeapComparison
{
    /// <summary>Computes every type's change, grouped by readable name, excluded types left out.</summary>
    /// <param name="before">The first snapshot's counts by type id.</param>
    /// <param name="after">The second snapshot, rendered.</param>
    /// <returns>The changes.</returns>
    public static List<TypeChange> Compare((ulong[] TypeIds, long[] Counts, long[] Bytes) before, RenderedGraph after)
    {
        var previous = new Dictionary<ulong, int>(before.TypeIds.Length);
        for (var i = 0; i < before.TypeIds.Length; i++)
        {
            previous.TryAdd(before.TypeIds[i], i);
        }

        var (ids, counts, bytes) = RetainedTypeProbe.CountByTypeId(after.Graph);
        var byName = new Dictionary<string, TypeChange>(StringComparer.Ordinal);
        for (var t = 0; t < ids.Length; t++)
        {
            var name = after.TypeNames[t];
            if (ExcludedTypes.IsExcluded(after.Graph.TypeNames[t], name))
            {
                continue;
            }

            long countBefore = 0, bytesBefore = 0;
            if (previous.TryGetValue(ids[t], out var p))
            {
                countBefore = before.Counts[p];
                bytesBefore = before.Bytes[p];
            }

            byName.TryGetValue(name, out var sum);
            byName[name] = new TypeChange(
                name,
                sum.CountBefore + countBefore,
                sum.CountAfter + counts[t],
                sum.BytesBefore + bytesBefore,
                sum.BytesAfter + bytes[t]);
        }

        return [.. byName.Values];
    }
}
