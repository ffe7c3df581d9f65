using System.CommandLine;
using System.CommandLine.Parsing;
using System.Globalization;
using LeakGuard.Detection;

namespace LeakGuard.Cli;

/// <summary>
/// <c>leakguard analyze &lt;file.csv&gt;</c>: replays a recorded series through the same detector a live process
/// runs and prints the verdict timeline. Exit codes: 0 no leak, 2 leak, 1 bad input.
/// </summary>
internal static class AnalyzeCommand
{
    /// <summary>The exit code when the series never became <see cref="LeakState.Leaking"/>.</summary>
    public const int NoLeak = 0;

    /// <summary>The exit code for unreadable input or options.</summary>
    public const int BadInput = 1;

    /// <summary>The exit code when the series became <see cref="LeakState.Leaking"/> at some point.</summary>
    public const int Leak = 2;

    /// <summary>Builds the command.</summary>
    /// <returns>The command.</returns>
    public static Command Create()
    {
        var file = new Argument<string>("file") { Description = "A CSV file with the columns timestamp,value (header optional; ISO-8601 or Unix-seconds timestamps)." };
        var limit = new Option<double?>("--limit")
        {
            Description = "The limit the signal grows towards (bytes for memory), for the projected time to reach it.",
            CustomParser = ParseLimit,
        };
        var signal = new Option<string>("--signal")
        {
            Description = "The signal the values belong to (managed_heap, process_memory, threads, …); picks the thresholds, and the column when the header has several.",
            DefaultValueFactory = _ => LeakSignals.ManagedHeap,
        };
        var format = new Option<string>("--format") { Description = "The output format.", DefaultValueFactory = _ => "text" };
        format.AcceptOnlyFromAmong("text", "json");
        var window = new Option<string?>("--window") { Description = "The shortest analysis horizon (e.g. 30s, 10m, 2h). Default 10m; never shorter than 128 × the file's median sampling interval." };
        var warmUp = new Option<string?>("--warm-up") { Description = "How long after the first value to ignore the signal (default 5m)." };
        var sensitivity = new Option<DetectionSensitivity>("--sensitivity")
        {
            Description = "Low, Normal or High.",
            DefaultValueFactory = _ => DetectionSensitivity.Normal,
            CustomParser = ParseSensitivity,
        };

        var urgencyHorizon = new Option<string?>("--urgency-horizon")
        {
            Description = "Growth that would reach --limit within this time is called leaking before the history can prove it unbounded (default 24h; 0 turns it off; at most 30d).",
        };

        var command = new Command("analyze", "Replay a recorded series through LeakGuard's leak detector and print when it would have become suspected or leaking.")
        {
            file, limit, signal, format, window, warmUp, sensitivity, urgencyHorizon,
        };
        command.SetAction(parse => SeriesAnalysis.Run(ToRequest(parse), parse.InvocationConfiguration.Output, parse.InvocationConfiguration.Error));
        return command;
    }

    /// <summary>
    /// The request <c>leakguard analyze</c> would run for these arguments, its defaults included (the detection-quality
    /// evaluation replays through this, so its figures are the command's).
    /// </summary>
    /// <param name="args">The arguments after <c>analyze</c>, the file first.</param>
    /// <returns>The request.</returns>
    /// <exception cref="ArgumentException">The arguments do not parse.</exception>
    public static AnalyzeRequest Request(params string[] args)
    {
        var parse = Create().Parse(args);
        return parse.Errors.Count == 0
            ? ToRequest(parse)
            : throw new ArgumentException($"analyze {string.Join(' ', args)}: {parse.Errors[0].Message}", nameof(args));
    }

    private static AnalyzeRequest ToRequest(ParseResult parse) => new()
    {
        Path = parse.GetValue<string>("file")!,
        Limit = parse.GetValue<double?>("--limit"),
        Signal = parse.GetValue<string>("--signal") ?? LeakSignals.ManagedHeap,
        Json = parse.GetValue<string>("--format") == "json",
        Window = parse.GetValue<string?>("--window"),
        WarmUp = parse.GetValue<string?>("--warm-up"),
        Sensitivity = parse.GetValue<DetectionSensitivity>("--sensitivity"),
        UrgencyHorizon = parse.GetValue<string?>("--urgency-horizon"),
    };

    // A number in the invariant culture: the parser's own error named the type (System.Nullable`1[System.Double]).
    private static double? ParseLimit(ArgumentResult result)
    {
        var text = result.Tokens.Count > 0 ? result.Tokens[0].Value : string.Empty;
        if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value))
        {
            return value;
        }

        result.AddError($"--limit '{text}' is not a number (the limit in the signal's unit, bytes for memory: 4294967296 or 4e9)");
        return null;
    }

    // By name only: Enum.Parse would take "7" and pass an undefined sensitivity to the detector.
    private static DetectionSensitivity ParseSensitivity(ArgumentResult result)
    {
        var text = result.Tokens.Count > 0 ? result.Tokens[0].Value : string.Empty;
        if (Enum.GetNames<DetectionSensitivity>().FirstOrDefault(n => n.Equals(text, StringComparison.OrdinalIgnoreCase)) is { } name)
        {
            return Enum.Parse<DetectionSensitivity>(name);
        }

        result.AddError($"--sensitivity '{text}' is not one of {string.Join(", ", Enum.GetNames<DetectionSensitivity>())}.");
        return DetectionSensitivity.Normal;
    }
}
