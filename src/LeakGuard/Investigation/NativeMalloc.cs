namespace LeakGuard.Investigation;

/// <summary>glibc malloc's own account (<c>mallinfo2</c>) at the two native readings, in bytes.</summary>
public sealed class NativeMalloc
{
    /// <summary>Gets the bytes in allocated chunks at the first reading (<c>uordblks + hblkhd</c>).</summary>
    public long InUseBytesBefore { get; init; }

    /// <summary>Gets the bytes in allocated chunks at the second reading.</summary>
    public long InUseBytesAfter { get; init; }

    /// <summary>Gets the bytes freed to malloc and kept by its arenas at the first reading (<c>fordblks</c>).</summary>
    public long FreeBytesBefore { get; init; }

    /// <summary>Gets the bytes freed to malloc and kept by its arenas at the second reading.</summary>
    public long FreeBytesAfter { get; init; }

    /// <summary>Gets the bytes of blocks mapped on their own (large allocations, <c>hblkhd</c>) at the first reading; part of the in-use bytes.</summary>
    public long MappedBytesBefore { get; init; }

    /// <summary>Gets the bytes of blocks mapped on their own at the second reading.</summary>
    public long MappedBytesAfter { get; init; }
}
