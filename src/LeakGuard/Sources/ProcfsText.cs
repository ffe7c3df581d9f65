namespace LeakGuard.Sources;

/// <summary>
/// Allocation-free parsing of the small ASCII files under <c>/proc</c> and <c>/sys/fs/cgroup</c>.
/// Every method reports failure (-1 or <see langword="false"/>) on malformed input instead of throwing,
/// because a monitor must keep sampling when the kernel or a container runtime writes something unexpected.
/// </summary>
internal static class ProcfsText
{
    /// <summary>Parses a non-negative decimal integer, ignoring surrounding whitespace.</summary>
    /// <param name="text">The ASCII text.</param>
    /// <param name="value">The value.</param>
    /// <returns><see langword="false"/> when the text is empty, not a number, or overflows.</returns>
    public static bool TryParseNonNegative(ReadOnlySpan<byte> text, out long value)
    {
        value = 0;
        text = Trim(text);
        if (text.IsEmpty)
        {
            return false;
        }

        foreach (var c in text)
        {
            var digit = c - (byte)'0';
            if ((uint)digit > 9 || value > (long.MaxValue - digit) / 10)
            {
                value = 0;
                return false;
            }

            value = (value * 10) + digit;
        }

        return true;
    }

    /// <summary>Returns the <paramref name="index"/>-th (0-based) space-separated field of a line, or an empty span.</summary>
    /// <param name="line">The ASCII text.</param>
    /// <param name="index">The field index.</param>
    /// <returns>The field.</returns>
    public static ReadOnlySpan<byte> Field(ReadOnlySpan<byte> line, int index)
    {
        var i = 0;
        while (true)
        {
            while (i < line.Length && IsSpace(line[i]))
            {
                i++;
            }

            var start = i;
            while (i < line.Length && !IsSpace(line[i]))
            {
                i++;
            }

            if (start == i)
            {
                return default;
            }

            if (index-- == 0)
            {
                return line[start..i];
            }
        }
    }

    /// <summary>Reads the resident set size from <c>/proc/self/statm</c> (second field, in pages).</summary>
    /// <param name="statm">The file content.</param>
    /// <param name="pageSize">The page size in bytes.</param>
    /// <returns>The RSS in bytes, or -1.</returns>
    public static long ParseStatmResidentBytes(ReadOnlySpan<byte> statm, long pageSize) =>
        TryParseNonNegative(Field(statm, 1), out var pages) && pages <= long.MaxValue / pageSize ? pages * pageSize : -1;

    /// <summary>Reads <c>num_threads</c> (field 20) from <c>/proc/self/stat</c>.</summary>
    /// <param name="stat">The file content.</param>
    /// <returns>The thread count, or -1.</returns>
    /// <remarks>Field 2 (the command name) is in parentheses and may itself contain spaces and parentheses,
    /// so fields are counted from the last <c>')'</c>: field 3 is the first after it.</remarks>
    public static int ParseStatThreadCount(ReadOnlySpan<byte> stat)
    {
        var close = stat.LastIndexOf((byte)')');
        if (close < 0)
        {
            return -1;
        }

        return TryParseNonNegative(Field(stat[(close + 1)..], 20 - 3), out var threads) && threads <= int.MaxValue
            ? (int)threads
            : -1;
    }

    /// <summary>Finds a <c>key value</c> line (as in <c>memory.events</c> or <c>memory.oom_control</c>) and parses its value.</summary>
    /// <param name="text">The file content.</param>
    /// <param name="key">The key, e.g. <c>oom_kill</c>.</param>
    /// <returns>The value, or -1 when the key is missing or its value is not a number.</returns>
    public static long ParseKeyedValue(ReadOnlySpan<byte> text, ReadOnlySpan<byte> key)
    {
        while (!text.IsEmpty)
        {
            var end = text.IndexOf((byte)'\n');
            var line = end < 0 ? text : text[..end];
            text = end < 0 ? default : text[(end + 1)..];
            if (line.Length > key.Length && line.StartsWith(key) && IsSpace(line[key.Length]))
            {
                return TryParseNonNegative(line[key.Length..], out var value) ? value : -1;
            }
        }

        return -1;
    }

    private static ReadOnlySpan<byte> Trim(ReadOnlySpan<byte> text)
    {
        var start = 0;
        var end = text.Length;
        while (start < end && IsSpace(text[start]))
        {
            start++;
        }

        while (end > start && IsSpace(text[end - 1]))
        {
            end--;
        }

        return text[start..end];
    }

    private static bool IsSpace(byte c) => c is (byte)' ' or (byte)'\n' or (byte)'\t' or (byte)'\r' or 0;
}
