using System.CommandLine;
using System.Text.Json;
using LeakGuard.Investigation;

namespace LeakGuard.Cli.Commands;

/// <summary><c>leakguard report &lt;file.json&gt;</c>: prints a leak report as a readable tree.</summary>
internal static class ReportCommand
{
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
            await PrintAsync(parseResult.GetValue(file)!, Console.Out, Console.Error, cancellationToken).ConfigureAwait(false));
        return command;
    }

    /// <summary>Reads a report file and prints it.</summary>
    /// <param name="file">The report file.</param>
    /// <param name="output">Where the tree goes.</param>
    /// <param name="error">Where problems go.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>0 on success, 1 when the file is missing, 2 when it is not a report.</returns>
    internal static async Task<int> PrintAsync(FileInfo file, TextWriter output, TextWriter error, CancellationToken cancellationToken)
    {
        if (!file.Exists)
        {
            await error.WriteLineAsync($"leakguard: no such report file: {file.FullName}").ConfigureAwait(false);
            return 1;
        }

        LeakReport report;
        try
        {
            report = await LeakReportSerializer.ReadFileAsync(file.FullName, cancellationToken).ConfigureAwait(false);
        }
        catch (JsonException ex)
        {
            // The parser's message quotes the offending token, which for a CSV or a log is the whole file: say where instead.
            var detail = ex.Message.Length <= 200 && !ex.Message.Contains('\n', StringComparison.Ordinal)
                ? ex.Message
                : $"invalid JSON at line {ex.LineNumber + 1}, byte {ex.BytePositionInLine + 1}";
            await error.WriteLineAsync($"leakguard: {file.Name} is not a LeakGuard report: {detail}").ConfigureAwait(false);
            return 2;
        }

        await output.WriteAsync(LeakReportText.Tree(report)).ConfigureAwait(false);
        return 0;
    }
}
