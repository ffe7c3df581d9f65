using System.CommandLine;
using System.Text.Json;
using LeakGuard.Investigation;

namespace LeakGuard.Cli.Commands;

/// <summary><c>leakguard report &lt;file.json&gt;</c>: prints a leak report as a readable tree.</summary>
internal static class ReportCommand
{
    /// <summary>The largest report file read (reports are kilobytes; the cap bounds memory on hostile input).</summary>
    public const long MaxBytes = 64L * 1024 * 1024;

    /// <summary>Creates the command.</summary>
    /// <returns>The <c>report</c> command.</returns>
    internal static Command Create()
    {
        var file = new Argument<FileInfo>("file")
        {
            Description = "A LeakGuard report file (leakguard-report-*.json from Reports:Directory).",
        };
        var command = new Command("report", "Print a leak report as a tree: the growing types and the reference chains that hold them.")
        {
            file,
        };
        command.SetAction(async (parseResult, cancellationToken) =>
            await PrintAsync(parseResult.GetValue(file)!, parseResult.InvocationConfiguration.Output, parseResult.InvocationConfiguration.Error, cancellationToken).ConfigureAwait(false));
        return command;
    }

    /// <summary>Reads a report file and prints it; control characters in its names are escaped.</summary>
    /// <param name="file">The report file.</param>
    /// <param name="output">Where the tree goes.</param>
    /// <param name="error">Where the one-line problem goes.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>0 on success, 1 when the file is missing, unreadable or not a report (as <c>analyze</c> does for bad input).</returns>
    internal static async Task<int> PrintAsync(FileInfo file, TextWriter output, TextWriter error, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(file);
        var name = TerminalWriter.Escape(file.FullName);
        if (!file.Exists)
        {
            await error.WriteLineAsync($"error: no such report file: {name}").ConfigureAwait(false);
            return AnalyzeCommand.BadInput;
        }

        LeakReport report;
        try
        {
            // Streamed and bounded: /dev/zero or a huge file ends with a message, not with the memory.
            var stream = new BoundedReadStream(new FileStream(file.FullName, FileMode.Open, FileAccess.Read, FileShare.ReadWrite, 4096, FileOptions.SequentialScan), MaxBytes);
            await using (stream.ConfigureAwait(false))
            {
                report = await LeakReportSerializer.ReadAsync(stream, cancellationToken).ConfigureAwait(false);
            }
        }
        catch (Exception ex) when (ex is JsonException or InvalidDataException)
        {
            // The parser's message quotes the offending token, which for a CSV or a log is the whole file: say where instead.
            var detail = ex is JsonException json && (ex.Message.Length > 200 || ex.Message.Contains('\n', StringComparison.Ordinal))
                ? $"invalid JSON at line {json.LineNumber + 1}, byte {json.BytePositionInLine + 1}"
                : OneLine(ex.Message);
            await error.WriteLineAsync($"error: {name} is not a LeakGuard report: {TerminalWriter.Escape(detail)}").ConfigureAwait(false);
            return AnalyzeCommand.BadInput;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or NotSupportedException)
        {
            await error.WriteLineAsync($"error: cannot read {name}: {TerminalWriter.Escape(OneLine(ex.Message))}").ConfigureAwait(false);
            return AnalyzeCommand.BadInput;
        }

        await output.WriteAsync(TerminalWriter.Escape(LeakReportText.Tree(report))).ConfigureAwait(false);
        return 0;
    }

    private static string OneLine(string message) => message.ReplaceLineEndings(" ");
}
