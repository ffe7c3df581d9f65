using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics.X86;

namespace LeakGuard.Benchmarks.Buffering;

/// <summary>
/// Experiment: <see cref="LeakGuard.Buffering.SampleRing{T}"/> with every slot starting on a 64-byte boundary
/// (pinned storage, stride rounded up to a power of two up to 64 bytes, to a multiple of 64 above), so the
/// writer's slot and a reader's never share a cache line. Same protocol; x64 only (no ARM fences).
/// </summary>
/// <typeparam name="T">The sample type.</typeparam>
internal sealed unsafe class AlignedRingCandidate<T>
    where T : unmanaged
{
    private const int Line = 64;
    private readonly long[] _storage;
    private readonly byte* _base;
    private readonly int _strideShift;
    private readonly int _stride;
    private readonly int _mask;
    private readonly int _capacity;
    private LeakGuard.Buffering.PaddedCounter _written;

    public AlignedRingCandidate(int capacity)
    {
        if (!X86Base.IsSupported)
        {
            throw new PlatformNotSupportedException("x86/x64 only");
        }

        var size = sizeof(long) + sizeof(T);
        _stride = size <= Line ? (int)BitOperations.RoundUpToPowerOf2((uint)size) : (size + Line - 1) / Line * Line;
        _strideShift = BitOperations.IsPow2(_stride) ? BitOperations.Log2((uint)_stride) : -1;
        _capacity = capacity;
        _mask = capacity - 1;
        _storage = GC.AllocateArray<long>((int)((((long)capacity * _stride) + Line) / sizeof(long)), pinned: true);
        var start = (byte*)Unsafe.AsPointer(ref _storage[0]);
        _base = (byte*)(((nint)start + Line - 1) & ~(nint)(Line - 1));
    }

    public long TotalWritten => Volatile.Read(ref _written.Value);

    public void Write(in T item)
    {
        var n = _written.Value;
        var slot = Slot(n);
        Volatile.Write(ref *(long*)slot, (2 * n) + 1);
        *(T*)(slot + sizeof(long)) = item;
        Volatile.Write(ref *(long*)slot, (2 * n) + 2);
        Volatile.Write(ref _written.Value, n + 1);
    }

    public int CopySince(long from, Span<T> destination, out long first)
    {
        var written = Volatile.Read(ref _written.Value);
        var start = Math.Max(from >= written - _capacity ? from : written - (_capacity / 2), 0);
        if (start >= written)
        {
            first = Math.Max(from, 0);
            return 0;
        }

        var wanted = (int)Math.Min(written - start, destination.Length);
        var firstValid = 0;
        var end = wanted;
        for (var chunkStart = 0; chunkStart < wanted; chunkStart += 64)
        {
            var chunkEnd = Math.Min(chunkStart + 64, wanted);
            var newestInvalid = -1;
            for (var i = chunkStart; i < chunkEnd; i++)
            {
                var n = start + i;
                var slot = Slot(n);
                if (Volatile.Read(ref *(long*)slot) != (2 * n) + 2)
                {
                    newestInvalid = i;
                    continue;
                }

                destination[i] = *(T*)(slot + sizeof(long));
            }

            for (var i = chunkEnd - 1; i > newestInvalid && i >= chunkStart; i--)
            {
                var n = start + i;
                if (Volatile.Read(ref *(long*)Slot(n)) != (2 * n) + 2)
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
        GC.KeepAlive(_storage);
        return count;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private byte* Slot(long n)
    {
        var index = (nint)(n & _mask);
        return _strideShift >= 0 ? _base + (index << _strideShift) : _base + (index * _stride);
    }
}
