using System.Runtime.InteropServices;
using LeakGuard.Investigation;

namespace LeakGuard.Testing;

/// <summary>
/// One snapshot's live instances and bytes per runtime type id (or per retention path), kept in unmanaged memory: managed arrays kept from
/// one snapshot to the next would themselves be counted as growth in the next one.
/// </summary>
internal sealed class NativeTypeCounts : IDisposable
{
    private const int Fields = 3;
    private IntPtr _block;

    private NativeTypeCounts(int length)
    {
        Length = length;
        _block = Marshal.AllocHGlobal(Math.Max(1, length) * Fields * sizeof(long));
    }

    /// <summary>Gets the number of types.</summary>
    public int Length { get; }

    /// <summary>Counts a graph's types (the graph may be released afterwards).</summary>
    /// <param name="graph">The graph.</param>
    /// <returns>The counts.</returns>
    public static NativeTypeCounts From(HeapGraph graph)
    {
        var (ids, counts, bytes) = RetainedTypeProbe.CountByTypeId(graph);
        return From(ids, counts, bytes);
    }

    /// <summary>Copies three columns (keys, counts, bytes) into unmanaged memory.</summary>
    /// <param name="ids">The keys (type ids or path hashes).</param>
    /// <param name="counts">The counts.</param>
    /// <param name="bytes">The bytes.</param>
    /// <returns>The table.</returns>
    public static NativeTypeCounts From(ulong[] ids, long[] counts, long[] bytes)
    {
        var result = new NativeTypeCounts(ids.Length);
        for (var i = 0; i < ids.Length; i++)
        {
            result.Write(i, 0, unchecked((long)ids[i]));
            result.Write(i, 1, counts[i]);
            result.Write(i, 2, bytes[i]);
        }

        return result;
    }

    /// <summary>Gets the type id at a position.</summary>
    /// <param name="index">The position.</param>
    /// <returns>The runtime type id.</returns>
    public ulong IdAt(int index) => unchecked((ulong)Read(index, 0));

    /// <summary>Gets the live instances at a position.</summary>
    /// <param name="index">The position.</param>
    /// <returns>The count.</returns>
    public long CountAt(int index) => Read(index, 1);

    /// <summary>Gets the shallow bytes at a position.</summary>
    /// <param name="index">The position.</param>
    /// <returns>The bytes.</returns>
    public long BytesAt(int index) => Read(index, 2);

    /// <inheritdoc />
    public void Dispose()
    {
        if (_block != IntPtr.Zero)
        {
            Marshal.FreeHGlobal(_block);
            _block = IntPtr.Zero;
        }
    }

    private long Read(int index, int field)
    {
        ObjectDisposedException.ThrowIf(_block == IntPtr.Zero, this);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual((uint)index, (uint)Length, nameof(index));
        return Marshal.ReadInt64(_block, ((index * Fields) + field) * sizeof(long));
    }

    private void Write(int index, int field, long value) => Marshal.WriteInt64(_block, ((index * Fields) + field) * sizeof(long), value);
}
