using System.Globalization;
using LeakGuard.Storage;
using Microsoft.Extensions.Logging;

namespace LeakGuard.Hosting;

/// <summary>
/// The write path of the files in <c>StateDirectory</c> (the restart record, the lifetimes): atomically (a temporary file
/// <c>&lt;name&gt;.&lt;pid&gt;.tmp</c>, fsync, rename, so a kill mid-write leaves the old file intact), removing temporary files
/// a killed writer left when asked, and reporting the first failure once (EventId 52). Never throws an I/O error.
/// Not thread-safe: the owning store serialises its writes.
/// </summary>
/// <param name="path">The file's path.</param>
/// <param name="logger">The logger.</param>
internal sealed class StateFileWriter(string path, ILogger logger)
{
    private readonly string _temporary = string.Create(CultureInfo.InvariantCulture, $"{path}.{Environment.ProcessId}{AtomicFile.TemporarySuffix}");
    private bool _failureLogged;

    /// <summary>Gets the file's path.</summary>
    public string FilePath => path;

    /// <summary>Writes the file.</summary>
    /// <param name="now">The current time (temporary files older than <see cref="AtomicFile.StaleAfter"/> are stale).</param>
    /// <param name="content">The whole content.</param>
    /// <param name="removeStale">Whether to remove other writers' stale temporary files first (at start, at stop, on forced writes).</param>
    /// <returns><see langword="true"/> when written.</returns>
    public bool Write(DateTimeOffset now, ReadOnlySpan<byte> content, bool removeStale)
    {
        try
        {
            var directory = Path.GetDirectoryName(path)!;
            Directory.CreateDirectory(directory);
            if (removeStale)
            {
                AtomicFile.DeleteStale(directory, Path.GetFileName(path) + ".*" + AtomicFile.TemporarySuffix, now);
            }

            AtomicFile.Write(path, _temporary, content);
            return true;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            if (!_failureLogged)
            {
                _failureLogged = true;
                Log.StateWriteFailed(logger, path, ex.Message);
            }

            return false;
        }
    }
}
