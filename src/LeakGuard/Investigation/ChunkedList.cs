namespace LeakGuard.Investigation;

/// <summary>
/// An append-only list stored in fixed-size chunks: growing never copies (a doubling array peaks at
/// three times its content while it grows, which would break the collector's memory budget per object),
/// and chunks can be released one by one while they are converted.
/// </summary>
/// <typeparam name="T">The element type.</typeparam>
internal sealed class ChunkedList<T>
    where T : unmanaged
{
    internal const int ChunkShift = 16;
    internal const int ChunkSize = 1 << ChunkShift;
    private const int ChunkMask = ChunkSize - 1;

    private readonly List<T[]?> _chunks = [];
    private T[]? _current;
    private int _used = ChunkSize;

    /// <summary>Gets the number of elements.</summary>
    public long Count { get; private set; }

    /// <summary>Gets the element at <paramref name="index"/>.</summary>
    /// <param name="index">The index.</param>
    public T this[long index] => _chunks[(int)(index >> ChunkShift)]![index & ChunkMask];

    /// <summary>Appends an element.</summary>
    /// <param name="value">The value.</param>
    public void Add(T value)
    {
        if (_used == ChunkSize)
        {
            _current = new T[ChunkSize];
            _chunks.Add(_current);
            _used = 0;
        }

        _current![_used++] = value;
        Count++;
    }

    /// <summary>Copies the elements to a new array, releasing each chunk once it has been copied.</summary>
    /// <returns>The elements.</returns>
    public T[] DrainToArray()
    {
        var result = new T[Count];
        var offset = 0L;
        for (var i = 0; i < _chunks.Count; i++)
        {
            var chunk = _chunks[i]!;
            var length = (int)Math.Min(ChunkSize, Count - offset);
            Array.Copy(chunk, 0, result, offset, length);
            offset += length;
            _chunks[i] = null;
        }

        Clear();
        return result;
    }

    /// <summary>Calls <paramref name="convert"/> for each chunk in order and releases the chunk afterwards.</summary>
    /// <param name="convert">Receives the chunk's used part and the index of its first element.</param>
    public void Drain(Action<ReadOnlyMemory<T>, long> convert)
    {
        var offset = 0L;
        for (var i = 0; i < _chunks.Count; i++)
        {
            var length = (int)Math.Min(ChunkSize, Count - offset);
            convert(new ReadOnlyMemory<T>(_chunks[i]!, 0, length), offset);
            offset += length;
            _chunks[i] = null;
        }

        Clear();
    }

    /// <summary>Releases all elements.</summary>
    public void Clear()
    {
        _chunks.Clear();
        _current = null;
        _used = ChunkSize;
        Count = 0;
    }
}
