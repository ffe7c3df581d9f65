namespace LeakGuard.Buffering;

/// <summary>
/// One signal's history at several bucket widths (for example 10 s, 1 min, 10 min), so the detector can
/// look at minutes and days alike while the whole history costs a few kilobytes.
/// </summary>
internal sealed class MultiResolutionSeries
{
    private readonly BucketRing[] _levels;

    /// <summary>Initializes a new instance of the <see cref="MultiResolutionSeries"/> class.</summary>
    /// <param name="widths">The bucket widths, finest first, each larger than the one before (e.g. 10 s, 1 min, 10 min).</param>
    /// <param name="capacity">The closed buckets kept per width; a power of two.</param>
    public MultiResolutionSeries(IReadOnlyList<TimeSpan> widths, int capacity)
    {
        ArgumentNullException.ThrowIfNull(widths);
        if (widths.Count == 0)
        {
            throw new ArgumentOutOfRangeException(nameof(widths), widths.Count, "At least one bucket width is required (e.g. 10 s, 1 min, 10 min).");
        }

        _levels = new BucketRing[widths.Count];
        for (var i = 0; i < widths.Count; i++)
        {
            if (i > 0 && widths[i] <= widths[i - 1])
            {
                throw new ArgumentOutOfRangeException(nameof(widths), widths[i], "Bucket widths must be strictly increasing.");
            }

            _levels[i] = new BucketRing(widths[i], capacity);
        }
    }

    /// <summary>Gets the number of resolutions.</summary>
    public int LevelCount => _levels.Length;

    /// <summary>Gets the bucket ring of one resolution (0 = finest).</summary>
    /// <param name="level">The resolution index.</param>
    /// <returns>The bucket ring.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="level"/> is not between 0 and <see cref="LevelCount"/> - 1.</exception>
    public BucketRing this[int level] => (uint)level < (uint)_levels.Length
        ? _levels[level]
        : throw new ArgumentOutOfRangeException(nameof(level), level, $"The level must be between 0 and {_levels.Length - 1}.");

    /// <summary>Adds a value to every resolution.</summary>
    /// <param name="timestamp">The time of the value.</param>
    /// <param name="value">The value.</param>
    /// <returns><see langword="true"/> when the finest resolution closed a bucket.</returns>
    public bool Add(DateTimeOffset timestamp, double value)
    {
        var closedFinest = false;
        for (var i = 0; i < _levels.Length; i++)
        {
            var closed = _levels[i].Add(timestamp, value);
            if (i == 0)
            {
                closedFinest = closed;
            }
        }

        return closedFinest;
    }

    /// <summary>Copies the closed buckets and the open one of the resolution closest to <paramref name="resolution"/>, oldest first.</summary>
    /// <param name="resolution">The wanted width.</param>
    /// <returns>The points.</returns>
    public SignalPoint[] Read(TimeSpan resolution)
    {
        var ring = Closest(resolution);
        var points = new SignalPoint[ring.Capacity + 1];
        var count = ring.CopyClosed(points);
        if (ring.TryGetOpen(out var open))
        {
            points[count++] = open;
        }

        return points.AsSpan(0, count).ToArray();
    }

    /// <summary>Returns the resolution whose width is closest to <paramref name="resolution"/>.</summary>
    /// <param name="resolution">The wanted width.</param>
    /// <returns>The bucket ring.</returns>
    public BucketRing Closest(TimeSpan resolution)
    {
        var best = _levels[0];
        foreach (var level in _levels)
        {
            if (Math.Abs((level.Width - resolution).Ticks) < Math.Abs((best.Width - resolution).Ticks))
            {
                best = level;
            }
        }

        return best;
    }
}
