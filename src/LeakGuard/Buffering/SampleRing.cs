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

    private readonly T[] _items;
    private readonly long[] _sequences;
    private readonly int _mask;
    private long _written;

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

        _items = new T[capacity];
        _sequences = new long[capacity];
        _mask = capacity - 1;
    }

    /// <summary>Gets the number of slots.</summary>
    public int Capacity => _items.Length;

    /// <summary>Gets the number of samples written since construction (including overwritten ones).</summary>
    public long TotalWritten => Volatile.Read(ref _written);

    /// <summary>Gets the number of samples currently held (at most <see cref="Capacity"/>).</summary>
    public int Count => (int)Math.Min(TotalWritten, _items.Length);

    /// <summary>Appends a sample, overwriting the oldest when full. Only one thread may write.</summary>
    /// <param name="item">The sample.</param>
    public void Write(in T item)
    {
        var n = _written;
        var slot = (int)(n & _mask);

        // Odd = being written. The exchange is a full fence: the mark is visible before the data changes.
        Interlocked.Exchange(ref _sequences[slot], (2 * n) + 1);
        _items[slot] = item;

        // Even = complete. Release semantics publish the data before the mark.
        Volatile.Write(ref _sequences[slot], (2 * n) + 2);
        Volatile.Write(ref _written, n + 1);
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
        var written = Volatile.Read(ref _written);
        var available = Math.Min(written, _items.Length);
        var wanted = Math.Min(available, destination.Length);
        var copied = 0;
        for (var n = written - wanted; n < written; n++)
        {
            if (TryReadSlot(n, out var item))
            {
                destination[copied++] = item;
            }
            else
            {
                // The writer overwrites in order, so everything before n is gone or going: restart the run.
                copied = 0;
            }
        }

        return copied;
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
            var written = Volatile.Read(ref _written);
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
        var slot = (int)(n & _mask);
        var expected = (2 * n) + 2;
        if (Volatile.Read(ref _sequences[slot]) != expected)
        {
            item = default;
            return false;
        }

        item = _items[slot];

        // The data loads must complete before the sequence is read again.
        Interlocked.MemoryBarrier();
        return Volatile.Read(ref _sequences[slot]) == expected;
    }
}
