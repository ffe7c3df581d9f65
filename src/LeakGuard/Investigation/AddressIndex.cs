namespace LeakGuard.Investigation;

/// <summary>
/// Maps object addresses to node indices with a sorted address array and a binary search: 8 bytes per node
/// (12 when the runtime streamed the nodes out of address order), where a hash map would take 24 or more.
/// </summary>
internal sealed class AddressIndex
{
    private readonly long[] _sorted;
    private readonly int[]? _nodeOfPosition;
    private readonly int[] _bucketStart;
    private readonly long _min;
    private readonly long _max;
    private readonly int _shift;

    private AddressIndex(long[] sorted, int[]? nodeOfPosition)
    {
        _sorted = sorted;
        _nodeOfPosition = nodeOfPosition;

        // A directory of address buckets (at most one per two nodes) narrows each binary search to a few entries:
        // a plain search over the whole array cost ~40% of the snapshot's build time at a million objects.
        if (sorted.Length == 0)
        {
            _bucketStart = [0, 0];
            _max = -1;
            return;
        }

        _min = sorted[0];
        _max = sorted[^1];
        var range = (ulong)(_max - _min);
        var maxBuckets = (ulong)Math.Max(1, sorted.Length / 2);
        while ((range >> _shift) >= maxBuckets)
        {
            _shift++;
        }

        var buckets = (int)(range >> _shift) + 1;
        _bucketStart = new int[buckets + 1];
        foreach (var address in sorted)
        {
            _bucketStart[((ulong)(address - _min) >> _shift) + 1]++;
        }

        for (var b = 1; b <= buckets; b++)
        {
            _bucketStart[b] += _bucketStart[b - 1];
        }
    }

    /// <summary>Creates the index, sorting <paramref name="addresses"/> in place when needed.</summary>
    /// <param name="addresses">The nodes' addresses in node order; the index takes ownership.</param>
    /// <returns>The index.</returns>
    public static AddressIndex Create(long[] addresses)
    {
        // The heap walk visits each region in address order, so the array is usually sorted already.
        for (var i = 1; i < addresses.Length; i++)
        {
            if (addresses[i - 1] >= addresses[i])
            {
                var nodeOfPosition = new int[addresses.Length];
                for (var n = 0; n < nodeOfPosition.Length; n++)
                {
                    nodeOfPosition[n] = n;
                }

                // User-space addresses are below 2^63, so signed order is address order.
                Array.Sort(addresses, nodeOfPosition);
                return new AddressIndex(addresses, nodeOfPosition);
            }
        }

        return new AddressIndex(addresses, null);
    }

    /// <summary>Gets the bytes the index holds.</summary>
    public long Bytes => (_sorted.Length * 8L) + ((_nodeOfPosition?.Length ?? 0) * 4L) + (_bucketStart.Length * 4L);

    /// <summary>Finds the node at <paramref name="address"/>.</summary>
    /// <param name="address">The address.</param>
    /// <returns>The node index, or -1 when no node starts there.</returns>
    public int Find(long address)
    {
        if (address < _min || address > _max)
        {
            return -1;
        }

        var bucket = (int)((ulong)(address - _min) >> _shift);
        var lo = _bucketStart[bucket];
        var hi = _bucketStart[bucket + 1] - 1;

        while (lo <= hi)
        {
            var mid = (int)((uint)(lo + hi) >> 1);
            var value = _sorted[mid];
            if (value == address)
            {
                return _nodeOfPosition is null ? mid : _nodeOfPosition[mid];
            }

            if (value < address)
            {
                lo = mid + 1;
            }
            else
            {
                hi = mid - 1;
            }
        }

        return -1;
    }
}
