namespace LeakGuard.Testing;

/// <summary>The instances of one type that share a retention path (root and chain of type names).</summary>
/// <param name="Root">The root described in words.</param>
/// <param name="Chain">The compacted chain of type names from the root's object to the instance.</param>
/// <param name="Count">The instances on this path.</param>
/// <param name="Bytes">Their shallow bytes.</param>
internal sealed record PathGroup(string Root, IReadOnlyList<string> Chain, long Count, long Bytes)
{
    /// <summary>Gets a stable 64-bit key of root and chain (FNV-1a), to compare groups across snapshots without keeping strings.</summary>
    public ulong Key
    {
        get
        {
            var hash = 14695981039346656037UL;
            foreach (var part in Chain.Prepend(Root))
            {
                foreach (var c in part)
                {
                    hash = (hash ^ c) * 1099511628211UL;
                }

                hash = (hash ^ 1) * 1099511628211UL;
            }

            return hash;
        }
    }
}
