using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
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

    /// <summary>Slots <see cref="CopySince"/> validates together by default: small enough that a reader the
    /// writer is lapping still keeps most of a batch, large enough that weakly ordered CPUs pay one fence per
    /// 64 samples.</summary>
    public const int DefaultFollowChunk = 64;

    private readonly Slot[] _slots;
    private readonly int _mask;
    private readonly int _followChunk;

    // On its own cache line: readers poll it constantly, and it must not drag _slots/_mask (read by
    // every write) into cache-line ping-pong with them.
    private PaddedCounter _written;

    /// <summary>Initializes a new instance of the <see cref="SampleRing{T}"/> class.</summary>
    /// <param name="capacity">A power of two between 2 and <see cref="MaxCapacity"/>.</param>
    /// <param name="followChunk">Slots <see cref="CopySince"/> validates together (tests use small values to
    /// exercise chunk boundaries).</param>
    public SampleRing(int capacity, int followChunk = DefaultFollowChunk)
    {
        if (capacity < 2 || capacity > MaxCapacity || (capacity & (capacity - 1)) != 0)
        {
            throw new ArgumentOutOfRangeException(
                nameof(capacity),
                capacity,
                $"The capacity must be a power of two between 2 and {MaxCapacity}.");
        }

        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(followChunk);
        _followChunk = followChunk;
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

        // One chunk: the newest samples are the point, so an overwrite anywhere discards everything older than it.
        return CopyRange(written - wanted, wanted, destination, wanted, out _);
    }

    /// <summary>
    /// Copies, oldest first, the samples written since sequence number <paramref name="from"/>: what a reader
    /// that follows the writer has not seen yet. Pass the previous call's <paramref name="first"/> plus its
    /// result as the next <paramref name="from"/> (start at 0, or at <see cref="TotalWritten"/> to skip the
    /// history). Samples that were overwritten before they could be copied are skipped, <c>first - from</c> of
    /// them: a follower that was lapped resumes at the oldest sample still held. The copy is validated in chunks
    /// (<see cref="DefaultFollowChunk"/> samples unless the constructor said otherwise), one pass each.
    /// </summary>
    /// <param name="from">The sequence number (0-based count of writes) of the first sample wanted.</param>
    /// <param name="destination">Receives up to <c>destination.Length</c> samples.</param>
    /// <param name="first">The sequence number of <c>destination[0]</c>; when nothing was copied, where the next
    /// read starts (at least <paramref name="from"/>).</param>
    /// <returns>The number of samples copied, oldest first and contiguous (<c>first</c>, <c>first + 1</c>, …); 0 when
    /// nothing new was written, or when all it tried to copy was overwritten meanwhile (then
    /// <paramref name="first"/> has moved past those samples).</returns>
    public int CopySince(long from, Span<T> destination, out long first)
    {
        var written = Volatile.Read(ref _written.Value);

        // A follower the writer has lapped resumes at the oldest slot still held. That slot is the next one
        // the writer overwrites: against a writer that is writing at that moment, chunked validation keeps the
        // part of the batch that survived (see CopyRange). Resuming further ahead instead was tried and
        // rejected: a detector that reads once a second after a burst of collections would count samples
        // still in the ring as lost.
        var start = Math.Max(Math.Max(from, written - _slots.Length), 0);
        if (start >= written)
        {
            first = Math.Max(from, 0);
            return 0;
        }

        var wanted = (int)Math.Min(written - start, destination.Length);
        return CopyRange(start, wanted, destination, _followChunk, out first);
    }

    /// <summary>Copies sequence numbers <c>[start, start + wanted)</c>, all written already, in chunks of
    /// <paramref name="chunk"/> slots, each validated right after it was copied; returns a contiguous run.</summary>
    /// <remarks>
    /// Pass 1 copies every slot of a chunk whose mark says complete; pass 2, after one fence for the whole chunk,
    /// checks the marks again (on x86/x64 the fence is free and the second pass costs one load per slot, so
    /// the chunk size only matters elsewhere). The writer overwrites in order, so the invalid slots of a range
    /// form a prefix. An invalid slot in the first chunks moves the start of the run past it; an invalid slot
    /// after a validated run ends the copy there (what follows is newer but would leave a gap), so a reader
    /// that the writer is lapping keeps what it validated instead of losing the whole batch.
    /// </remarks>
    private int CopyRange(long start, int wanted, Span<T> destination, int chunk, out long first)
    {
        // Indexes are in range by construction (masked slot index, i < wanted <= destination.Length): the loops
        // use refs without bounds checks, which took a copied sample from 3.5 to 2.x ns (docs/performance.md).
        ref var slots = ref MemoryMarshal.GetArrayDataReference(_slots);
        ref var target = ref MemoryMarshal.GetReference(destination);
        var mask = _mask;
        var firstValid = 0;
        var end = wanted;
        for (var chunkStart = 0; chunkStart < wanted; chunkStart += chunk)
        {
            var chunkEnd = Math.Min(chunkStart + chunk, wanted);
            var newestInvalid = -1;
            for (var i = chunkStart; i < chunkEnd; i++)
            {
                var n = start + i;
                ref var slot = ref Unsafe.Add(ref slots, (nint)(n & mask));
                if (Volatile.Read(ref slot.Sequence) != (2 * n) + 2)
                {
                    newestInvalid = i;
                    continue;
                }

                Unsafe.Add(ref target, i) = slot.Item;
            }

            ReadFence();
            for (var i = chunkEnd - 1; i > newestInvalid && i >= chunkStart; i--)
            {
                var n = start + i;
                if (Volatile.Read(ref Unsafe.Add(ref slots, (nint)(n & mask)).Sequence) != (2 * n) + 2)
                {
                    newestInvalid = i;
                    break;
                }
            }

            if (newestInvalid >= 0)
            {
                if (chunkStart > firstValid)
                {
                    end = chunkStart;
                    break;
                }

                firstValid = newestInvalid + 1;
            }
        }

        var count = end - firstValid;
        if (firstValid > 0 && count > 0)
        {
            destination.Slice(firstValid, count).CopyTo(destination);
        }

        first = start + firstValid;
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
