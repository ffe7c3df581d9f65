namespace LeakGuard.Investigation;

/// <summary>
/// Folds a collection's internal objects into the collection on a retention path: <c>Dictionary&lt;Guid, Session&gt;
/// → Dictionary.Entry&lt;Guid, Session&gt;[] → Session</c> reads <c>Dictionary&lt;Guid, Session&gt; → Session</c>, and
/// <c>ConcurrentDictionary</c>'s <c>Tables</c>, <c>VolatileNode[]</c> and <c>Node</c> chain, or a <c>List&lt;T&gt;</c>'s
/// <c>T[]</c>, disappear the same way. The rule is structural, not a list of names: a step carrying the same generic
/// arguments as the collection before it (or the array of its only argument) is that collection's plumbing.
/// </summary>
internal static class CollectionInternals
{
    /// <summary>Drops the internal steps of the collections along a chain; the first and last steps always stay.</summary>
    /// <param name="chain">The type names from the root's object to the instance.</param>
    /// <returns>The folded chain.</returns>
    public static List<string> Fold(List<string> chain)
    {
        var folded = new List<string>(chain.Count);
        string? arguments = null;
        for (var i = 0; i < chain.Count; i++)
        {
            var step = chain[i];
            var last = i == chain.Count - 1;
            if (!last && arguments is not null && IsInternalOf(step, arguments))
            {
                continue;
            }

            folded.Add(step);
            arguments = GenericArguments(step);
        }

        return folded;
    }

    private static bool IsInternalOf(string step, string collectionArguments) =>
        string.Equals(GenericArguments(step), collectionArguments, StringComparison.Ordinal)
        || (step.EndsWith("[]", StringComparison.Ordinal) && string.Equals(step[..^2], collectionArguments, StringComparison.Ordinal));

    private static string? GenericArguments(string type)
    {
        var open = type.IndexOf('<', StringComparison.Ordinal);
        if (open < 0)
        {
            return null;
        }

        var depth = 0;
        for (var i = open; i < type.Length; i++)
        {
            depth += type[i] switch { '<' => 1, '>' => -1, _ => 0 };
            if (depth == 0)
            {
                return type[(open + 1)..i];
            }
        }

        return null;
    }
}
