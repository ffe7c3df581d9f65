using System.Globalization;
using LeakGuard.Storage;

namespace LeakGuard.Investigation;

/// <summary>
/// Writes reports to <c>Reports:Directory</c> atomically (a temporary file renamed into place, so a reader never
/// sees half a report, and a crash mid-write leaves at most a temporary file that the next write removes) and keeps at most <c>Reports:MaxCount</c> of them, deleting the oldest.
/// </summary>
internal static class ReportStore
{
    /// <summary>The file-name prefix of report files; the rest of the name sorts by time.</summary>
    public const string FilePrefix = "leakguard-report-";

    /// <summary>The names of the temporary files a report is written through.</summary>
    public const string TemporaryPattern = "." + FilePrefix + "*.json" + AtomicFile.TemporarySuffix;

    /// <summary>Writes a report, prunes old ones and removes temporary files left by earlier crashed writes.</summary>
    /// <param name="directory">The directory (created when missing).</param>
    /// <param name="report">The report.</param>
    /// <param name="maxCount">How many report files to keep.</param>
    /// <param name="now">The current time (a temporary file older than <see cref="AtomicFile.StaleAfter"/> is stale).</param>
    /// <param name="cancellationToken">Cancels the write; nothing is left behind.</param>
    /// <returns>The path of the written file.</returns>
    public static async Task<string> WriteAsync(string directory, LeakReport report, int maxCount, DateTimeOffset now, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(directory);
        var stamp = report.Snapshots.After.UtcDateTime.ToString("yyyyMMdd'T'HHmmssfff'Z'", CultureInfo.InvariantCulture);
        var name = $"{FilePrefix}{stamp}-{Sanitize(report.Signal)}";
        var path = Path.Combine(directory, name + ".json");
        for (var i = 2; File.Exists(path); i++)
        {
            path = Path.Combine(directory, $"{name}-{i.ToString(CultureInfo.InvariantCulture)}.json");
        }

        var temporary = Path.Combine(directory, "." + Path.GetFileName(path) + AtomicFile.TemporarySuffix);
        await AtomicFile.WriteAsync(path, temporary, (stream, token) => LeakReportSerializer.WriteAsync(stream, report, token), cancellationToken).ConfigureAwait(false);
        Prune(directory, maxCount, now);
        return path;
    }

    /// <summary>Checks at start that reports can be written, so a bad directory is said once then rather than at the first leak.</summary>
    /// <param name="directory">The directory (created when missing).</param>
    /// <returns>Why it is not writable, or <see langword="null"/>.</returns>
    public static string? WritableProblem(string directory)
    {
        try
        {
            Directory.CreateDirectory(directory);
            var probe = Path.Combine(directory, string.Create(CultureInfo.InvariantCulture, $".{FilePrefix}probe-{Environment.ProcessId}{AtomicFile.TemporarySuffix}"));
            using (new FileStream(probe, FileMode.Create, FileAccess.Write, FileShare.None, 1, FileOptions.DeleteOnClose))
            {
            }

            return null;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            return ex.Message;
        }
    }

    /// <summary>Lists the report files in a directory, oldest first.</summary>
    /// <param name="directory">The directory.</param>
    /// <returns>The paths.</returns>
    public static string[] List(string directory) =>
        Directory.Exists(directory)
            ? [.. Directory.GetFiles(directory, FilePrefix + "*.json").Order(StringComparer.Ordinal)]
            : [];

    private static void Prune(string directory, int maxCount, DateTimeOffset now)
    {
        AtomicFile.DeleteStale(directory, TemporaryPattern, now);
        var files = List(directory);
        for (var i = 0; i < files.Length - Math.Max(1, maxCount); i++)
        {
            File.Delete(files[i]);
        }
    }

    private static string Sanitize(string signal)
    {
        var chars = signal.ToCharArray();
        for (var i = 0; i < chars.Length; i++)
        {
            if (!char.IsAsciiLetterOrDigit(chars[i]) && chars[i] is not ('_' or '-'))
            {
                chars[i] = '_';
            }
        }

        return new string(chars);
    }
}
