using Microsoft.Win32.SafeHandles;

namespace LeakGuard.Sources;

/// <summary>
/// A small kernel-generated file (<c>/proc/self/statm</c>, <c>memory.current</c>, …) opened once and
/// re-read from offset 0 into a reusable buffer. Opening the file each time costs a path lookup and a
/// <c>FileStream</c>; a positional read on a kept handle costs about a microsecond and allocates nothing.
/// Not thread-safe: one reader at a time.
/// </summary>
internal sealed class ProcFile : IDisposable
{
    private readonly SafeFileHandle _handle;
    private readonly byte[] _buffer;

    private ProcFile(SafeFileHandle handle, int bufferSize)
    {
        _handle = handle;
        _buffer = new byte[bufferSize];
    }

    /// <summary>Gets the path the file was opened from.</summary>
    public string Path { get; private init; } = string.Empty;

    /// <summary>Opens a file for repeated reading.</summary>
    /// <param name="path">The path.</param>
    /// <param name="bufferSize">The largest content read; longer content is truncated.</param>
    /// <returns>The open file, or <see langword="null"/> when it does not exist or cannot be read.</returns>
    public static ProcFile? TryOpen(string path, int bufferSize = 256)
    {
        try
        {
            return File.Exists(path)
                ? new ProcFile(File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite), bufferSize) { Path = path }
                : null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or NotSupportedException or ArgumentException)
        {
            return null;
        }
    }

    /// <summary>Reads the whole file again from the start.</summary>
    /// <returns>The content (valid until the next call), or an empty span when the read failed.</returns>
    public ReadOnlySpan<byte> Read()
    {
        try
        {
            // Kernel files hand out their whole (small) content in one read; content longer than the
            // buffer is truncated, which callers size for.
            var total = RandomAccess.Read(_handle, _buffer, 0);
            return total > 0 ? _buffer.AsSpan(0, total) : default;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or NotSupportedException or ObjectDisposedException)
        {
            return default;
        }
    }

    /// <inheritdoc />
    public void Dispose() => _handle.Dispose();
}
