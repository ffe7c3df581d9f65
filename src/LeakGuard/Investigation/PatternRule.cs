namespace LeakGuard.Investigation;

/// <summary>
/// Matches a retention path against a <see cref="KnownPattern"/>. Every condition given must hold; patterns use
/// <c>*</c> as the only wildcard and are compared with the readable names the report shows.
/// </summary>
/// <param name="Pattern">The pattern a match names.</param>
/// <param name="Root">The root's description (<c>static field *</c>, <c>strong GC handle</c>, …), or <see langword="null"/> for any.</param>
/// <param name="Holders">Type names that must appear on the path, in this order (the growing type excluded), or <see langword="null"/>.</param>
/// <param name="Growing">The growing type's name, or <see langword="null"/> for any.</param>
internal sealed record PatternRule(KnownPattern Pattern, string? Root = null, string[]? Holders = null, string? Growing = null)
{
    /// <summary>Gets a value indicating whether the path of a growing type matches.</summary>
    /// <param name="growingType">The growing type's readable name.</param>
    /// <param name="path">One of its retention paths.</param>
    /// <returns><see langword="true"/> when every condition holds.</returns>
    public bool Matches(string growingType, RetentionPath path)
    {
        if ((Root is not null && !Glob(Root, path.Root)) || (Growing is not null && !Glob(Growing, growingType)))
        {
            return false;
        }

        var step = 0;
        foreach (var holder in Holders ?? [])
        {
            while (step < path.Path.Count - 1 && !Glob(holder, path.Path[step]))
            {
                step++;
            }

            if (step >= path.Path.Count - 1)
            {
                return false;
            }

            step++;
        }

        return true;
    }

    /// <summary>Matches a name against a pattern with <c>*</c> wildcards (ordinal).</summary>
    /// <param name="pattern">The pattern.</param>
    /// <param name="text">The name.</param>
    /// <returns><see langword="true"/> when it matches.</returns>
    internal static bool Glob(string pattern, string text)
    {
        var parts = pattern.Split('*');
        if (parts.Length == 1)
        {
            return string.Equals(pattern, text, StringComparison.Ordinal);
        }

        if (!text.StartsWith(parts[0], StringComparison.Ordinal))
        {
            return false;
        }

        var at = parts[0].Length;
        for (var i = 1; i < parts.Length - 1; i++)
        {
            var found = text.IndexOf(parts[i], at, StringComparison.Ordinal);
            if (found < 0)
            {
                return false;
            }

            at = found + parts[i].Length;
        }

        return text.Length - at >= parts[^1].Length && text.EndsWith(parts[^1], StringComparison.Ordinal);
    }
}
