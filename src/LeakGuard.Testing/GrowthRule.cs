namespace LeakGuard.Testing;

/// <summary>
/// Decides which types grew in proportion to the iterations — the shape of a leak — and which only changed once.
/// Pure: counts in, verdicts out; no timing.
/// </summary>
/// <remarks>
/// A leak keeps at least one object per iteration, so after <c>n</c> iterations its type gained <c>k·n</c> instances
/// for an integer <c>k ≥ 1</c>. Everything that is not a leak gains a bounded number independent of <c>n</c>: lazy
/// statics and caches that fill once (mostly during the warm-up), bounded caches (at most their capacity), pools
/// (their size), interned strings of a fixed set. Requiring a gain of at least
/// <see cref="MinInstancesPerIteration"/> × <c>n</c> separates the two as long as <c>n</c> exceeds every bound
/// (choose iterations at least twice the largest cache capacity). Leaks of value types (a <c>List&lt;long&gt;</c>,
/// a <c>StringBuilder</c>) grow one array instead of the instance count: a type whose shallow bytes grew by at least
/// <see cref="MinBytesPerIteration"/> per iteration counts too — more than a filling dictionary of references can
/// reach (at most about 56 bytes per entry with its spare capacity), so bounded caches still pass.
/// </remarks>
internal static class GrowthRule
{
    /// <summary>The least instances per iteration that count as proportional growth (k ≥ 1, with 10 % slack).</summary>
    public const double MinInstancesPerIteration = 0.9;

    /// <summary>The least shallow bytes per iteration that count as proportional growth of one type.</summary>
    public const double MinBytesPerIteration = 64;

    /// <summary>Finds the types that grew in proportion to the iterations.</summary>
    /// <param name="changes">Every type's counts before and after (excluded types already removed).</param>
    /// <param name="iterations">The measured iterations.</param>
    /// <returns>The growing types: instance growth first (application types first, then most growth first), then byte growth.</returns>
    public static IReadOnlyList<RetainedGrowth> Find(IEnumerable<TypeChange> changes, int iterations)
    {
        ArgumentNullException.ThrowIfNull(changes);
        ArgumentOutOfRangeException.ThrowIfLessThan(iterations, 1);
        var minCount = MinInstancesPerIteration * iterations;
        var minBytes = MinBytesPerIteration * iterations;
        var growing = new List<RetainedGrowth>();
        foreach (var change in changes)
        {
            if (change.CountDelta >= minCount)
            {
                growing.Add(new RetainedGrowth(change, iterations, ByBytes: false));
            }
            else if (change.BytesDelta >= minBytes)
            {
                growing.Add(new RetainedGrowth(change, iterations, ByBytes: true));
            }
        }

        return growing
            .OrderBy(g => g.ByBytes)
            .ThenBy(g => !IsApplicationType(g.Change.Type))
            .ThenByDescending(g => g.ByBytes ? g.Change.BytesDelta : g.Change.CountDelta)
            .ThenBy(g => g.Change.Type, StringComparer.Ordinal)
            .ToArray();
    }

    /// <summary>
    /// Gets a value indicating whether a readable type name is the application's: framework types are rendered without
    /// their <c>System.</c> namespace (<c>Byte[]</c>, <c>Dictionary&lt;Int32, MyApp.Session&gt;</c>), application types keep theirs.
    /// The application's types are listed first: they name the leak; the framework's arrays and delegates come along.
    /// </summary>
    /// <param name="type">The readable type name.</param>
    /// <returns><see langword="true"/> for an application type.</returns>
    internal static bool IsApplicationType(string type)
    {
        var cut = type.AsSpan().IndexOfAny('<', '[');
        var head = cut < 0 ? type.AsSpan() : type.AsSpan(0, cut);
        return head.Contains('.');
    }
}
