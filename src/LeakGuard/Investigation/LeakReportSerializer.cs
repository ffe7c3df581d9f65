using System.Text.Json;

namespace LeakGuard.Investigation;

/// <summary>Reads and writes <see cref="LeakReport"/> JSON (used by the report files, the CLI and the dashboard).</summary>
internal static class LeakReportSerializer
{
    /// <summary>Serialises a report.</summary>
    /// <param name="report">The report.</param>
    /// <returns>The indented JSON.</returns>
    public static string Serialize(LeakReport report) => JsonSerializer.Serialize(report, LeakReportJsonContext.Default.LeakReport);

    /// <summary>Deserialises a report.</summary>
    /// <param name="json">The JSON.</param>
    /// <returns>The report.</returns>
    /// <exception cref="JsonException">The JSON is not a report.</exception>
    public static LeakReport Deserialize(string json) => Checked(JsonSerializer.Deserialize(json, LeakReportJsonContext.Default.LeakReport));

    /// <summary>Writes a report to a stream.</summary>
    /// <param name="stream">The stream.</param>
    /// <param name="report">The report.</param>
    /// <param name="cancellationToken">Cancels the write.</param>
    /// <returns>A task that completes when the report is written.</returns>
    public static Task WriteAsync(Stream stream, LeakReport report, CancellationToken cancellationToken = default) =>
        JsonSerializer.SerializeAsync(stream, report, LeakReportJsonContext.Default.LeakReport, cancellationToken);

    /// <summary>Reads a report from a stream.</summary>
    /// <param name="stream">The stream.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The report.</returns>
    /// <exception cref="JsonException">The content is not a report.</exception>
    public static async Task<LeakReport> ReadAsync(Stream stream, CancellationToken cancellationToken = default) =>
        Checked(await JsonSerializer.DeserializeAsync(stream, LeakReportJsonContext.Default.LeakReport, cancellationToken).ConfigureAwait(false));

    /// <summary>Reads a report file.</summary>
    /// <param name="path">The file.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The report.</returns>
    public static async Task<LeakReport> ReadFileAsync(string path, CancellationToken cancellationToken = default)
    {
        var stream = File.OpenRead(path);
        await using (stream.ConfigureAwait(false))
        {
            return await ReadAsync(stream, cancellationToken).ConfigureAwait(false);
        }
    }

    private static LeakReport Checked(LeakReport? report)
    {
        if (report is null)
        {
            throw new JsonException("The JSON is null, not a leak report.");
        }

        return LeakReportCheck.Problem(report) is { } problem ? throw new JsonException(problem) : report;
    }
}
