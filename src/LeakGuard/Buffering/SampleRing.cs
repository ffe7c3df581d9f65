using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics.X86;

namespace LeakGuard.Buffering;

/// <summary>
/// A fixed-size ring of unmanaged samples for one writer and any number of concurrent readers.
/// Lock-free: every slot carries a sequence number (odd while being written, even when complete),
/// so a reader detects a slot that was overwritten while it copied and drops it instead of
/// returning a torn sample. The oldest samples are overwritten; nothing is allocated after construction.
/// </summary>
/// <typeparam name="T">The sample type.</typeparam>
internal sealed class SampleRing<T>
    where T : unmanaged
{
    /// <summary>The largest capacity accepted (16 Mi slots).</summary>
    public const int MaxCapacity = 1 << 24;

    private readonly Slot[] _slots;
    private readonly int _mask;

    // On its own cache line: readers poll it constantly, and it must not drag _slots/_mask (read by
    // every write) into cache-line ping-pong with them.
    private PaddedCounter _written;

    /// <summary>Initializes a new instance of the <see cref="SampleRing{T}"/> class.</summary>
    /// <param name="capacity">A power of two between 2 and <see cref="MaxCapacity"/>.</param>
    public SampleRing(int capacity)
    {
        if (capacity < 2 || capacity > MaxCapacity || (capacity & (capacity - 1)) != 0)
        {
            throw new ArgumentOutOfRangeException(
                nameof(capacity),
                capacity,
                $"The capacity must be a power of two between 2 and {MaxCapacity}.");
        }

        _slots = new Slot[capacity];
        _mask = capacity - 1;
    }

    /// <summary>Gets the number of slots.</summary>
    public int Capacity => _slots.Length;

    /// <summary>Gets the number of samples written since construction (including overwritten ones).</summary>
    public long TotalWritten => Volatile.Read(ref _written.Value);

    /// <summary>Gets the number of samples currently held (at most <see cref="Capacity"/>).</summary>
    public int Count => (int)Math.Min(TotalWritten, _slots.Length);

    /// <summary>Appends a sample, overwriting the oldest when full. Only one thread may write.</summary>
    /// <param name="item">The sample.</param>
    public void Write(in T item)
    {
        var n = _written.Value;
        ref var slot = ref _slots[(int)(n & _mask)];

        // Odd = being written; the mark must be visible before any byte of the data changes (a seqlock's
        // store-store ordering). x86/x64 never reorder stores with stores, so a plain ordered store is enough
        // there; weakly ordered CPUs (ARM64) need the full fence of the exchange. The fence was measured as
        // the dominant cost of a write on x64 (see docs/performance.md).
        if (X86Base.IsSupported)
        {
            Volatile.Write(ref slot.Sequence, (2 * n) + 1);
        }
        else
        {
            Interlocked.Exchange(ref slot.Sequence, (2 * n) + 1);
        }

        slot.Item = item;

        // Even = complete. Release semantics publish the data before the mark.
        Volatile.Write(ref slot.Sequence, (2 * n) + 2);
        Volatile.Write(ref _written.Value, n + 1);
    }

    /// <summary>
    /// Copies the most recent samples, oldest first, into <paramref name="destination"/>.
    /// The copy is a contiguous run: when the writer overtakes the copy, what was copied before the
    /// overwritten slot is discarded (it is older still), so fewer than requested may be returned.
    /// </summary>
    /// <param name="destination">Receives up to <c>destination.Length</c> samples.</param>
    /// <returns>The number of samples copied.</returns>
    public int CopyLatest(Span<T> destination)
    {
        var written = Volatile.Read(ref _written.Value);
        var wanted = (int)Math.Min(Math.Min(written, _slots.Length), destination.Length);
        var start = written - wanted;

        // Pass 1 copies every slot whose mark says complete; pass 2, after one fence for the whole range,
        // checks the marks again. The writer overwrites in order, so invalid slots form a prefix: the result
        // is the run after the newest invalid one. One fence per call instead of one per sample.
        var firstValid = 0;
        for (var i = 0; i < wanted; i++)
        {
            var n = start + i;
            ref var slot = ref _slots[(int)(n & _mask)];
            if (Volatile.Read(ref slot.Sequence) != (2 * n) + 2)
            {
                firstValid = i + 1;
                continue;
            }

            destination[i] = slot.Item;
        }

        ReadFence();
        for (var i = wanted - 1; i >= firstValid; i--)
        {
            var n = start + i;
            if (Volatile.Read(ref _slots[(int)(n & _mask)].Sequence) != (2 * n) + 2)
            {
                firstValid = i + 1;
                break;
            }
        }

        var count = wanted - firstValid;
        if (firstValid > 0 && count > 0)
        {
            destination.Slice(firstValid, count).CopyTo(destination);
        }

        return count;
    }

    /// <summary>Reads the most recent sample.</summary>
    /// <param name="item">The sample, when one exists.</param>
    /// <returns><see langword="true"/> when a sample was read.</returns>
    public bool TryReadLatest(out T item)
    {
        // A failed read means the writer lapped the whole ring during the copy; a few retries on the
        // newer latest make that practically impossible without ever blocking.
        for (var attempt = 0; attempt < 4; attempt++)
        {
            var written = Volatile.Read(ref _written.Value);
            if (written == 0)
            {
                break;
            }

            if (TryReadSlot(written - 1, out item))
            {
                return true;
            }
        }

        item = default;
        return false;
    }

    /// <summary>Reads the sample with a given sequence number (0-based count of writes), if it is still held.</summary>
    /// <param name="sequence">The sequence number, between <c>TotalWritten - Capacity</c> and <c>TotalWritten - 1</c>.</param>
    /// <param name="item">The sample.</param>
    /// <returns><see langword="false"/> when it was overwritten, is being overwritten, or was not written yet.</returns>
    public bool TryRead(long sequence, out T item)
    {
        if (sequence < 0)
        {
            item = default;
            return false;
        }

        return TryReadSlot(sequence, out item);
    }

    private bool TryReadSlot(long n, out T item)
    {
        ref var slot = ref _slots[(int)(n & _mask)];
        var expected = (2 * n) + 2;
        if (Volatile.Read(ref slot.Sequence) != expected)
        {
            item = default;
            return false;
        }

        item = slot.Item;
        ReadFence();
        return Volatile.Read(ref slot.Sequence) == expected;
    }

    /// <summary>The data loads must complete before the mark is read again (a seqlock's load-load ordering).
    /// x86/x64 never reorder loads with loads; elsewhere a full fence is the only portable barrier.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void ReadFence()
    {
        if (!X86Base.IsSupported)
        {
            Interlocked.MemoryBarrier();
        }
    }

    private struct Slot
    {
        public long Sequence;
        public T Item;
    }
}
