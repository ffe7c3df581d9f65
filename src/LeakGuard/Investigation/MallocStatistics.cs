namespace LeakGuard.Investigation;

/// <summary>glibc's own account of its heap (<c>mallinfo2</c>), in bytes.</summary>
/// <param name="InUseBytes">Bytes in allocated chunks: <c>uordblks</c> (in the arenas) plus <c>hblkhd</c> (blocks mapped on their own).</param>
/// <param name="FreeBytes">Bytes in free chunks the arenas keep (<c>fordblks</c>): freed but not returned to the system.</param>
/// <param name="MappedBytes">Bytes of blocks large enough to get their own mapping (<c>hblkhd</c>), part of <paramref name="InUseBytes"/>.</param>
/// <param name="ArenaBytes">Bytes the arenas took from the system (<c>arena</c>).</param>
internal readonly record struct MallocStatistics(long InUseBytes, long FreeBytes, long MappedBytes, long ArenaBytes);
