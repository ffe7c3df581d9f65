namespace LeakGuard.Storage;

/// <summary>
/// Writes a file so that a reader sees either the old content or the whole new content: a temporary file in the same
/// directory, flushed to the disk (fsync) before it is renamed over the target. A failed or cancelled write deletes
/// its temporary file; one left by a killed process is removed by <see cref="DeleteStale"/> on a later start or prune.
/// </summary>
internal static class AtomicFile
{
    /// <summary>The suffix of temporary files.</summary>
    public const string TemporarySuffix = ".tmp";

    /// <summary>How old a temporary file must be before it counts as left by a crash (no write takes this long).</summary>
    public static readonly TimeSpan StaleAfter = TimeSpan.FromMinutes(1);

    /// <summary>Writes <paramref name="path"/> through <paramref name="temporary"/>.</summary>
    /// <param name="path">The target file.</param>
    /// <param name="temporary">The temporary file, in the target's directory.</param>
    /// <param name="write">Writes the content to the stream.</param>
    /// <param name="cancellationToken">Cancels the write (the target is left as it was).</param>
    /// <returns>A task that completes when the target holds the new content.</returns>
    public static async Task WriteAsync(string path, string temporary, Func<Stream, CancellationToken, Task> write, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(write);
        try
        {
            var stream = new FileStream(temporary, FileMode.Create, FileAccess.Write, FileShare.None);
            await using (stream.ConfigureAwait(false))
            {
                await write(stream, cancellationToken).ConfigureAwait(false);
                await stream.FlushAsync(cancellationToken).ConfigureAwait(false);
                stream.Flush(flushToDisk: true);
            }

            File.Move(temporary, path, overwrite: true);
        }
        catch
        {
            TryDelete(temporary);
            throw;
        }
    }

    /// <summary>Writes bytes to <paramref name="path"/> through <paramref name="temporary"/>.</summary>
    /// <param name="path">The target file.</param>
    /// <param name="temporary">The temporary file, in the target's directory.</param>
    /// <param name="content">The content.</param>
    public static void Write(string path, string temporary, ReadOnlySpan<byte> content)
    {
        try
        {
            using (var stream = new FileStream(temporary, FileMode.Create, FileAccess.Write, FileShare.None))
            {
                stream.Write(content);
                stream.Flush(flushToDisk: true);
            }

            File.Move(temporary, path, overwrite: true);
        }
        catch
        {
            TryDelete(temporary);
            throw;
        }
    }

    /// <summary>Deletes temporary files matching <paramref name="pattern"/> last written more than <see cref="StaleAfter"/> before <paramref name="now"/>.</summary>
    /// <param name="directory">The directory.</param>
    /// <param name="pattern">The file-name pattern of the temporary files (ends with <see cref="TemporarySuffix"/>).</param>
    /// <param name="now">The current time.</param>
    /// <returns>How many files were deleted.</returns>
    public static int DeleteStale(string directory, string pattern, DateTimeOffset now)
    {
        var deleted = 0;
        try
        {
            foreach (var file in Directory.EnumerateFiles(directory, pattern))
            {
                if (now - File.GetLastWriteTimeUtc(file) > StaleAfter && TryDelete(file))
                {
                    deleted++;
                }
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // An unreadable directory surfaces at the next write, which logs it.
        }

        return deleted;
    }

    private static bool TryDelete(string file)
    {
        try
        {
            File.Delete(file);
            return true;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }
}
