namespace LeakGuard.Investigation;

/// <summary>
/// Reads <c>/proc/&lt;pid&gt;/smaps</c> as a stream of bytes into <see cref="Mapping"/>s: no regular expressions, no
/// string per line, a fixed read buffer and one array of mappings that grows to the process's mapping count and is
/// reused. <c>smaps_rollup</c> would be cheaper but sums every mapping into one: the classes need them one by one.
/// </summary>
internal sealed class SmapsParser
{
    private const int BufferBytes = 64 * 1024;
    private const int InitialMappings = 1024;
    private static ReadOnlySpan<byte> RssKey => "Rss:"u8;

    private readonly byte[] _buffer = new byte[BufferBytes];
    private Mapping[] _mappings = new Mapping[InitialMappings];
    private int _count;

    /// <summary>Gets the mappings of the last parse, in address order (the kernel's order).</summary>
    public ReadOnlySpan<Mapping> Mappings => _mappings.AsSpan(0, _count);

    /// <summary>Parses a whole smaps stream, replacing the mappings of the last parse.</summary>
    /// <param name="stream">The text; read to its end.</param>
    public void Parse(Stream stream)
    {
        ArgumentNullException.ThrowIfNull(stream);
        _count = 0;
        var filled = 0;
        var skipping = false;
        while (true)
        {
            var read = stream.Read(_buffer, filled, _buffer.Length - filled);
            if (read == 0)
            {
                if (filled > 0 && !skipping)
                {
                    Line(_buffer.AsSpan(0, filled));
                }

                return;
            }

            filled += read;
            var start = 0;
            while (_buffer.AsSpan(start, filled - start).IndexOf((byte)'\n') is var newline and >= 0)
            {
                if (!skipping)
                {
                    Line(_buffer.AsSpan(start, newline));
                }

                skipping = false;
                start += newline + 1;
            }

            if (start == 0 && filled == _buffer.Length)
            {
                // A line longer than the buffer (a pathname can be 4 KiB; nothing else comes close): its start says
                // all that is needed, the rest is skipped up to the next newline.
                if (!skipping)
                {
                    Line(_buffer);
                }

                skipping = true;
                filled = 0;
                continue;
            }

            _buffer.AsSpan(start, filled - start).CopyTo(_buffer);
            filled -= start;
        }
    }

    private void Line(ReadOnlySpan<byte> line)
    {
        if (line.IsEmpty)
        {
            return;
        }

        if (IsLowerHex(line[0]))
        {
            Header(line);
        }
        else if (line.StartsWith(RssKey) && _count > 0)
        {
            var kilobytes = ParseDecimal(line[RssKey.Length..]);
            _mappings[_count - 1] = _mappings[_count - 1] with { RssBytes = kilobytes * 1024 };
        }
    }

    // "7f1c2a000000-7f1c2a021000 rw-p 00000000 00:00 0      [heap]"
    private void Header(ReadOnlySpan<byte> line)
    {
        var position = 0;
        var start = ParseHex(line, ref position);
        if (position >= line.Length || line[position] != (byte)'-')
        {
            return;
        }

        position++;
        var end = ParseHex(line, ref position);
        SkipSpaces(line, ref position);
        var access = ParseAccess(line[position..]);
        for (var field = 0; field < 4; field++)
        {
            SkipWord(line, ref position);
            SkipSpaces(line, ref position);
        }

        var kind = KindOf(line[Math.Min(position, line.Length)..]);
        if (_count == _mappings.Length)
        {
            Array.Resize(ref _mappings, _mappings.Length * 2);
        }

        _mappings[_count++] = new Mapping(start, end, access, kind, 0);
    }

    /// <summary>Tells what backs a mapping from its pathname column (empty for anonymous memory).</summary>
    /// <param name="path">The pathname column, without leading spaces.</param>
    /// <returns>The kind.</returns>
    internal static MappingKind KindOf(ReadOnlySpan<byte> path) =>
        path.IsEmpty ? MappingKind.Anonymous
        : path.SequenceEqual("[heap]"u8) ? MappingKind.Heap
        : path.StartsWith("[stack"u8) ? MappingKind.Stack
        : path.StartsWith("[anon:"u8) ? MappingKind.NamedAnonymous
        : path[0] == (byte)'[' ? MappingKind.Kernel
        : path.StartsWith("/memfd:doublemapper"u8) ? MappingKind.DoubleMapper
        : MappingKind.File;

    private static MappingAccess ParseAccess(ReadOnlySpan<byte> column)
    {
        if (column.Length < 4)
        {
            return MappingAccess.None;
        }

        var access = MappingAccess.None;
        access |= column[0] == (byte)'r' ? MappingAccess.Read : MappingAccess.None;
        access |= column[1] == (byte)'w' ? MappingAccess.Write : MappingAccess.None;
        access |= column[2] == (byte)'x' ? MappingAccess.Execute : MappingAccess.None;
        access |= column[3] == (byte)'s' ? MappingAccess.Shared : MappingAccess.None;
        return access;
    }

    private static bool IsLowerHex(byte c) => c is >= (byte)'0' and <= (byte)'9' or >= (byte)'a' and <= (byte)'f';

    private static ulong ParseHex(ReadOnlySpan<byte> line, ref int position)
    {
        ulong value = 0;
        for (; position < line.Length && IsLowerHex(line[position]); position++)
        {
            var c = line[position];
            value = (value << 4) | (uint)(c <= (byte)'9' ? c - '0' : c - 'a' + 10);
        }

        return value;
    }

    private static long ParseDecimal(ReadOnlySpan<byte> text)
    {
        long value = 0;
        var i = 0;
        while (i < text.Length && text[i] == (byte)' ')
        {
            i++;
        }

        for (; i < text.Length && text[i] is >= (byte)'0' and <= (byte)'9'; i++)
        {
            value = (value * 10) + (text[i] - '0');
        }

        return value;
    }

    private static void SkipWord(ReadOnlySpan<byte> line, ref int position)
    {
        while (position < line.Length && line[position] != (byte)' ')
        {
            position++;
        }
    }

    private static void SkipSpaces(ReadOnlySpan<byte> line, ref int position)
    {
        while (position < line.Length && line[position] == (byte)' ')
        {
            position++;
        }
    }
}
