namespace LeakGuard.Buffering;

/// <summary>
/// Downsamples one signal into fixed-width time buckets (minimum, maximum and last value per bucket)
/// and keeps the latest closed buckets in a <see cref="SampleRing{T}"/>. One writer, many readers.
/// </summary>
internal sealed class BucketRing
{
    private readonly SampleRing<SignalPoint> _closed;

    // The open bucket as readers see it: republished after every Add through a two-slot ring, so
    // TryGetOpen returns a consistent (min, max, last) even while the writer updates it.
    private readonly SampleRing<SignalPoint> _open = new(2);
    private readonly long _widthTicks;
    private long _openStartTicks = long.MinValue;
    private long _originTicks = long.MinValue;
    private double _openMin;
    private double _openMax;
    private double _openLast;

    /// <summary>Initializes a new instance of the <see cref="BucketRing"/> class.</summary>
    /// <param name="width">The bucket width; at least one millisecond.</param>
    /// <param name="capacity">How many closed buckets to keep; a power of two.</param>
    public BucketRing(TimeSpan width, int capacity)
    {
        if (width < TimeSpan.FromMilliseconds(1))
        {
            throw new ArgumentOutOfRangeException(nameof(width), width, "The bucket width must be at least 1 millisecond (00:00:00.001).");
        }

        Width = width;
        _widthTicks = width.Ticks;
        _closed = new SampleRing<SignalPoint>(capacity);
    }

    /// <summary>Gets the bucket width.</summary>
    public TimeSpan Width { get; }

    /// <summary>Gets the number of closed buckets held.</summary>
    public int Count => _closed.Count;

    /// <summary>Gets the number of closed buckets that fit.</summary>
    public int Capacity => _closed.Capacity;

    /// <summary>Adds a value; closes the open bucket when <paramref name="timestamp"/> falls into a later one.</summary>
    /// <param name="timestamp">The time of the value. Values should arrive in time order; one older than the open
    /// bucket is folded into it. A jump over several widths leaves no empty buckets behind (timestamps show the gap).</param>
    /// <param name="value">The value; NaN and infinities are ignored.</param>
    /// <returns><see langword="true"/> when a bucket was closed by this value.</returns>
    public bool Add(DateTimeOffset timestamp, double value)
    {
        if (!double.IsFinite(value))
        {
            return false;
        }

        // Buckets are aligned to the first value, not to the clock's epoch: where the clock starts must not move bucket
        // boundaries (and with them the floors and every verdict built on them).
        var ticks = timestamp.UtcTicks;
        if (_originTicks == long.MinValue)
        {
            _originTicks = ticks;
        }

        var offset = ticks - _originTicks;
        var start = _originTicks + (offset - (((offset % _widthTicks) + _widthTicks) % _widthTicks));
        var closed = false;
        if (_openStartTicks == long.MinValue)
        {
            Open(start, value);
        }
        else if (start > _openStartTicks)
        {
            _closed.Write(CurrentPoint());
            Open(start, value);
            closed = true;
        }
        else
        {
            _openMin = Math.Min(_openMin, value);
            _openMax = Math.Max(_openMax, value);
            _openLast = value;
            _open.Write(CurrentPoint());
        }

        return closed;
    }

    /// <summary>Copies the latest closed buckets, oldest first.</summary>
    /// <param name="destination">Receives up to <c>destination.Length</c> buckets.</param>
    /// <returns>The number of buckets copied.</returns>
    public int CopyClosed(Span<SignalPoint> destination) => _closed.CopyLatest(destination);

    /// <summary>Reads the bucket still being filled. Safe against the writer: the values come from one update.</summary>
    /// <param name="point">The open bucket.</param>
    /// <returns><see langword="true"/> when a bucket is open.</returns>
    public bool TryGetOpen(out SignalPoint point) => _open.TryReadLatest(out point);

    private SignalPoint CurrentPoint() => new()
    {
        Timestamp = new DateTimeOffset(_openStartTicks, TimeSpan.Zero),
        Min = _openMin,
        Max = _openMax,
        Last = _openLast,
    };

    private void Open(long startTicks, double value)
    {
        _openMin = value;
        _openMax = value;
        _openLast = value;
        _openStartTicks = startTicks;
        _open.Write(CurrentPoint());
    }
}
