namespace LeakGuard.Investigation;

/// <summary>
/// Maps object addresses to node indices with a sorted address array and a binary search: 8 bytes per node
/// (12 when the runtime streamed the nodes out of address order), where a hash map would take 24 or more.
/// </summary>
internal sealed class AddressIndex
{
    private readonly long[] _sorted;
    private readonly int[]? _nodeOfPosition;

    private AddressIndex(long[] sorted, int[]? nodeOfPosition)
    {
        _sorted = sorted;
        _nodeOfPosition = nodeOfPosition;
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

    /// <summary>Finds the node at <paramref name="address"/>.</summary>
    /// <param name="address">The address.</param>
    /// <returns>The node index, or -1 when no node starts there.</returns>
    public int Find(long address)
    {
        var lo = 0;
        var hi = _sorted.Length - 1;

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
