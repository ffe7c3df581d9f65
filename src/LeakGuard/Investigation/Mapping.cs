namespace LeakGuard.Investigation;

/// <summary>One mapping of <c>/proc/self/smaps</c>: its address range, access, what backs it and its resident bytes.</summary>
/// <param name="Start">The first address.</param>
/// <param name="End">The address after the last byte.</param>
/// <param name="Access">Readable, writable, executable and shared, as <see cref="MappingAccess"/> bits.</param>
/// <param name="Kind">What the pathname column says backs it.</param>
/// <param name="RssBytes">Its resident bytes (the <c>Rss:</c> line).</param>
internal readonly record struct Mapping(ulong Start, ulong End, MappingAccess Access, MappingKind Kind, long RssBytes)
{
    /// <summary>Gets the mapping's size in bytes.</summary>
    public ulong Size => End - Start;

    /// <summary>Gets a value indicating whether the mapping cannot be accessed at all (a reservation or a guard page).</summary>
    public bool IsInaccessible => (Access & (MappingAccess.Read | MappingAccess.Write | MappingAccess.Execute)) == 0;
}
