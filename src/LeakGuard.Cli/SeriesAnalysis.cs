using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using LeakGuard.Detection;

namespace LeakGuard.Cli;

/// <summary>Runs one analysis: read, pick bucket widths for the file's sampling, replay, print.</summary>
internal static class SeriesAnalysis
{
    // Detection:UrgencyHorizon's own range (the bound of DetectionOptions' SettingRange).
    private static readonly TimeSpan LongestUrgencyHorizon = TimeSpan.Parse(DetectionOptions.LongestUrgencyHorizon, CultureInfo.InvariantCulture);

    /// <summary>Runs the analysis.</summary>
    /// <param name="request">The options.</param>
    /// <param name="output">Where the timeline goes.</param>
    /// <param name="error">Where the one-line error goes.</param>
    /// <returns>The exit code.</returns>
    public static int Run(AnalyzeRequest request, TextWriter output, TextWriter error)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(error);
        if (!TryAnalyze(request, error, out var result))
        {
            return AnalyzeCommand.BadInput;
        }

        if (request.Json)
        {
            TimelineJsonWriter.Write(output, request, result);
        }
        else
        {
            TimelineTextWriter.Write(output, request, result);
        }

        return result.Leaked ? AnalyzeCommand.Leak : AnalyzeCommand.NoLeak;
    }

    /// <summary>Reads the request's file and replays it (everything <c>leakguard analyze</c> does but printing).</summary>
    /// <param name="request">The options.</param>
    /// <param name="error">Where the one-line error goes.</param>
    /// <param name="result">The timeline, when the input was good.</param>
    /// <returns><see langword="true"/> when the file and the options were good.</returns>
    public static bool TryAnalyze(AnalyzeRequest request, TextWriter error, [NotNullWhen(true)] out AnalysisResult? result)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(error);
        result = null;
        if (!TryOptions(request, error, out var options))
        {
            return false;
        }

        List<SeriesPoint> points;
        try
        {
            // Streamed line by line: a huge or endless file (/dev/zero) ends with one message, not with the memory.
            using var reader = new StreamReader(request.Path, new FileStreamOptions { Mode = FileMode.Open, Access = FileAccess.Read, Share = FileShare.ReadWrite, Options = FileOptions.SequentialScan });
            using var lines = CsvLines.Read(reader).GetEnumerator();
            var head = new List<string>();
            while (lines.MoveNext())
            {
                head.Add(lines.Current);
                if (!string.IsNullOrWhiteSpace(lines.Current))
                {
                    break;
                }
            }

            if (!IsKnownSignal(request.Signal, head))
            {
                error.WriteLine($"error: --signal '{TerminalWriter.Escape(request.Signal)}' is not a signal; use one of {string.Join(", ", LeakSignals.BuiltIn)}, or the name of a value column in the file's header.");
                return false;
            }

            if (!SeriesCsvReader.TryRead(head.Concat(Rest(lines)), request.Signal, out points, out var problem))
            {
                error.WriteLine($"error: {request.Path}: {problem}");
                return false;
            }
        }
        catch (InvalidDataException e)
        {
            error.WriteLine($"error: {request.Path}: {e.Message}");
            return false;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            error.WriteLine($"error: cannot read '{request.Path}': {e.Message.ReplaceLineEndings(" ")}");
            return false;
        }

        result = Replay(points, request, options);
        return true;
    }

    /// <summary>Replays points with the request's window, warm-up, limit and sensitivity, the defaults of <c>leakguard analyze</c> where unset.</summary>
    /// <param name="points">The series.</param>
    /// <param name="request">The options (its path is not read).</param>
    /// <param name="error">Where the one-line error goes.</param>
    /// <param name="result">The timeline, when the options were good.</param>
    /// <returns><see langword="true"/> when the options were good.</returns>
    public static bool TryReplay(IReadOnlyList<SeriesPoint> points, AnalyzeRequest request, TextWriter error, [NotNullWhen(true)] out AnalysisResult? result)
    {
        ArgumentNullException.ThrowIfNull(points);
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(error);
        result = null;
        if (!TryOptions(request, error, out var options))
        {
            return false;
        }

        result = Replay(points, request, options);
        return true;
    }

    /// <summary>Replays points through the detector.</summary>
    /// <param name="points">The series.</param>
    /// <param name="request">The options.</param>
    /// <param name="options">The request's durations, checked by <see cref="TryOptions"/>.</param>
    /// <returns>The timeline.</returns>
    private static AnalysisResult Replay(IReadOnlyList<SeriesPoint> points, AnalyzeRequest request, ReplayOptions options)
    {
        var interval = MedianInterval(points);
        var window = options.Window;
        var detection = new DetectionOptions { Window = window, Sensitivity = request.Sensitivity, UrgencyHorizon = options.UrgencyHorizon };
        var settings = DetectorSettings.Create(window, interval, options.WarmUp, detection);
        var replay = new SeriesReplay(new SignalDetector(request.Signal, settings), settings, request.Limit);
        var timeline = new List<LeakVerdict>();
        LeakVerdict? last = null;
        foreach (var point in points)
        {
            var verdict = replay.Add(point.Timestamp, point.Value);
            if (verdict is null)
            {
                continue;
            }

            if (last is null || verdict.State != last.State)
            {
                timeline.Add(verdict);
            }

            last = verdict;
        }

        return new AnalysisResult
        {
            Points = points.Count,
            First = points[0].Timestamp,
            Last = points[^1].Timestamp,
            SampleInterval = interval,
            RequestedWindow = window,
            Settings = settings,
            Timeline = timeline,
            Final = last,
        };
    }

    /// <summary>Checks the request's options and parses its durations, once: the replay uses what was checked.</summary>
    private static bool TryOptions(AnalyzeRequest request, TextWriter error, out ReplayOptions options)
    {
        options = default;
        if (!TryDuration(request.Window, TimeSpan.FromMinutes(10), "--window", error, out var window)
            || !TryDuration(request.WarmUp, TimeSpan.FromMinutes(5), "--warm-up", error, out var warmUp))
        {
            return false;
        }

        if (request.Limit is { } l && !(l > 0 && double.IsFinite(l)))
        {
            error.WriteLine("error: --limit must be a positive number.");
            return false;
        }

        if (!TryDuration(request.UrgencyHorizon, DetectionOptions.DefaultUrgencyHorizon, "--urgency-horizon", error, out var horizon))
        {
            return false;
        }

        if (horizon > LongestUrgencyHorizon)
        {
            error.WriteLine($"error: --urgency-horizon '{request.UrgencyHorizon}' is longer than {LongestUrgencyHorizon.TotalDays:0} days (Detection:UrgencyHorizon's range; 0 turns urgency off).");
            return false;
        }

        options = new ReplayOptions(window, warmUp, horizon);
        return true;
    }

    /// <summary>Checks a request's options as the command does before it reads the file (one error line when they are bad).</summary>
    /// <param name="request">The options.</param>
    /// <param name="error">Where the one-line error goes.</param>
    /// <returns><see langword="true"/> when the options are good.</returns>
    internal static bool CheckOptions(AnalyzeRequest request, TextWriter error) => TryOptions(request, error, out _);

    private static IEnumerable<string> Rest(IEnumerator<string> lines)
    {
        while (lines.MoveNext())
        {
            yield return lines.Current;
        }
    }

    /// <summary>A built-in signal, or a column the file's header names (a watched gauge recorded under its own name).</summary>
    private static bool IsKnownSignal(string signal, IEnumerable<string> lines)
    {
        if (LeakSignals.BuiltIn.Contains(signal))
        {
            return true;
        }

        var header = lines.FirstOrDefault(l => !string.IsNullOrWhiteSpace(l));
        return signal.Length > 0 && header is not null
            && header.Split(',').Any(column => column.Trim().Trim('"').Equals(signal, StringComparison.OrdinalIgnoreCase));
    }

    private static TimeSpan MedianInterval(IReadOnlyList<SeriesPoint> points)
    {
        var gaps = new List<long>(points.Count);
        for (var i = 1; i < points.Count; i++)
        {
            var gap = (points[i].Timestamp - points[i - 1].Timestamp).Ticks;
            if (gap > 0)
            {
                gaps.Add(gap);
            }
        }

        if (gaps.Count == 0)
        {
            return TimeSpan.FromSeconds(1);
        }

        gaps.Sort();
        return TimeSpan.FromTicks(gaps[gaps.Count / 2]);
    }

    private static bool TryDuration(string? text, TimeSpan fallback, string name, TextWriter error, out TimeSpan value)
    {
        value = fallback;
        if (text is null)
        {
            return true;
        }

        if (!DurationParser.TryParse(text, out value))
        {
            error.WriteLine($"error: {name} '{text}' is not a duration (examples: 30s, 10m, 2h, 00:10:00).");
            return false;
        }

        if (value > DurationParser.Longest)
        {
            error.WriteLine($"error: {name} '{text}' is longer than {DurationParser.Longest.TotalDays:0} days.");
            return false;
        }

        return true;
    }

    /// <summary>The durations of a request, parsed and checked once by <see cref="TryOptions"/>.</summary>
    private readonly record struct ReplayOptions(TimeSpan Window, TimeSpan WarmUp, TimeSpan UrgencyHorizon);
}
