namespace LeakGuard.Investigation;

/// <summary>
/// Maps object addresses to node indices with the sorted address array and a sample of every 16th address:
/// 8.5 bytes per node (12.5 when the runtime streamed the nodes out of address order), where a hash map
/// would take 24 or more.
/// </summary>
/// <remarks>
/// A plain binary search over a million addresses misses the cache on most of its ~20 steps and cost over a
/// second per million references (BenchmarkDotNet, HeapGraphBenchmarks.Build). The sample array is 1/16 the
/// size and mostly stays in cache; the final step reads one or two cache lines of the full array. Bucketing
/// by address bits did not help: region heaps put a few regions terabytes apart.
/// </remarks>
internal sealed class AddressIndex
{
    private const int Stride = 16;

    private readonly long[] _sorted;
    private readonly int[]? _nodeOfPosition;
    private readonly long[] _samples;

    private AddressIndex(long[] sorted, int[]? nodeOfPosition)
    {
        _sorted = sorted;
        _nodeOfPosition = nodeOfPosition;
        _samples = new long[(sorted.Length + Stride - 1) / Stride];
        for (var s = 0; s < _samples.Length; s++)
        {
            _samples[s] = sorted[s * Stride];
        }
    }

    /// <summary>Gets the bytes the index holds.</summary>
    public long Bytes => (_sorted.Length * 8L) + ((_nodeOfPosition?.Length ?? 0) * 4L) + (_samples.Length * 8L);

    /// <summary>Creates the index, sorting <paramref name="addresses"/> in place when needed.</summary>
    /// <param name="addresses">The nodes' addresses in node order; the index takes ownership.</param>
    /// <returns>The index.</returns>
    public static AddressIndex Create(long[] addresses)
    {
        // The heap walk visits each region in address order, so the array is often sorted already.
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
        var samples = _samples;
        if (samples.Length == 0 || address < samples[0])
        {
            return -1;
        }

        // The last sample not above the address.
        int lo = 0, hi = samples.Length - 1;
        while (lo < hi)
        {
            var mid = (int)((uint)(lo + hi + 1) >> 1);
            if (samples[mid] <= address)
            {
                lo = mid;
            }
            else
            {
                hi = mid - 1;
            }
        }

        var sorted = _sorted;
        var start = lo * Stride;
        var end = Math.Min(start + Stride, sorted.Length);
        for (var position = start; position < end; position++)
        {
            var value = sorted[position];
            if (value == address)
            {
                return _nodeOfPosition is null ? position : _nodeOfPosition[position];
            }

            if (value > address)
            {
                break;
            }
        }

        return -1;
    }
}
