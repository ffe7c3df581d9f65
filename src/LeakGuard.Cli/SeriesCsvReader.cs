using System.Globalization;

namespace LeakGuard.Cli;

/// <summary>
/// Reads a recorded series: columns <c>timestamp,value</c>, header optional, timestamps ISO-8601 or Unix seconds.
/// Bad input yields one message naming the line and the problem instead of an exception.
/// </summary>
internal static class SeriesCsvReader
{
    /// <summary>The most rows read (ten million: a value every 10 s for three years).</summary>
    public const int MaxRows = 10_000_000;

    private static readonly string[] TimestampNames = ["timestamp", "time", "ts"];

    // Far enough from DateTimeOffset's ends that the detector's windows and horizons never overflow.
    private static readonly DateTimeOffset Earliest = new(1970, 1, 1, 0, 0, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset Latest = new(2200, 1, 1, 0, 0, 0, TimeSpan.Zero);

    /// <summary>Parses the lines of a file.</summary>
    /// <param name="lines">The lines.</param>
    /// <param name="valueColumn">The wanted value column when the header names several (for example the signal's name), or <see langword="null"/>.</param>
    /// <param name="points">The parsed points.</param>
    /// <param name="error">The problem, when the input is bad.</param>
    /// <returns><see langword="true"/> when the input is good.</returns>
    public static bool TryRead(IEnumerable<string> lines, string? valueColumn, out List<SeriesPoint> points, out string? error)
    {
        points = [];
        error = null;
        var lineNumber = 0;
        var timeIndex = 0;
        var valueIndex = 1;
        var columns = 2;
        var sawContent = false;
        foreach (var raw in lines)
        {
            lineNumber++;
            var line = raw.Trim();
            if (line.Length == 0 || line.StartsWith('#'))
            {
                continue;
            }

            // Exporters quote fields ("1767225600","104857600"): a field's surrounding quotes are not part of it.
            var fields = line.Split(',', StringSplitOptions.TrimEntries);
            for (var i = 0; i < fields.Length; i++)
            {
                fields[i] = Unquoted(fields[i]);
            }

            if (fields.Length == 1 && OtherSeparator(line) is { } separator)
            {
                error = $"line {lineNumber}: the fields are separated by {separator}; LeakGuard reads comma-separated values (timestamp,value).";
                return false;
            }

            if (!sawContent)
            {
                sawContent = true;
                if (IsHeader(fields))
                {
                    if (!TryReadHeader(fields, valueColumn, lineNumber, out timeIndex, out valueIndex, out error))
                    {
                        return false;
                    }

                    columns = fields.Length;
                    continue;
                }
            }

            if (fields.Length != columns)
            {
                error = $"line {lineNumber}: expected {columns} columns (timestamp,value) but found {fields.Length}.";
                return false;
            }

            var readable = TryParseTimestamp(fields[timeIndex], out var timestamp);
            if (!readable || timestamp < Earliest || timestamp > Latest)
            {
                var numeric = IsNumber(fields[timeIndex], out var seconds);
                if (!readable && !numeric)
                {
                    error = $"line {lineNumber}: cannot read timestamp '{fields[timeIndex]}' (use ISO-8601 such as 2026-01-01T12:00:00Z, or Unix seconds).";
                    return false;
                }

                // Unix milliseconds read as seconds land thousands of years ahead (past 9999 from 2001 on): say so.
                var ahead = numeric && seconds > 0 && (!readable || timestamp > Latest);
                error = $"line {lineNumber}: timestamp '{fields[timeIndex]}' is outside {Earliest.Year}–{Latest.Year - 1}; a recorded series lies in between{(ahead ? " (Unix milliseconds? divide them by 1000)" : string.Empty)}.";
                return false;
            }

            if (!double.TryParse(fields[valueIndex], NumberStyles.Float, CultureInfo.InvariantCulture, out var value))
            {
                error = $"line {lineNumber}: cannot read value '{fields[valueIndex]}' as a number.";
                return false;
            }

            if (!double.IsFinite(value))
            {
                error = $"line {lineNumber}: the value is {fields[valueIndex]}; only finite numbers are allowed.";
                return false;
            }

            if (points.Count > 0 && timestamp < points[^1].Timestamp)
            {
                error = $"line {lineNumber}: timestamp {Format(timestamp)} goes backwards (line {points[^1].Line} has {Format(points[^1].Timestamp)}); rows must be in time order.";
                return false;
            }

            if (points.Count == MaxRows)
            {
                error = $"line {lineNumber}: more than {MaxRows} rows; downsample the series (one value every few seconds is enough).";
                return false;
            }

            points.Add(new SeriesPoint(timestamp, value, lineNumber));
        }

        if (points.Count == 0)
        {
            error = sawContent ? "the file has a header but no data rows." : "the file is empty.";
            return false;
        }

        if (points.Count > 1 && points[0].Timestamp == points[^1].Timestamp)
        {
            error = $"all {points.Count} rows have the timestamp {Format(points[0].Timestamp)}; a series needs time to pass between its values.";
            return false;
        }

        return true;
    }

    private static string? OtherSeparator(string line) =>
        line.Contains(';', StringComparison.Ordinal) ? "';'" : line.Contains('\t', StringComparison.Ordinal) ? "tabs" : null;

    // A first field that is a number is a timestamp, readable or not (Unix milliseconds read as seconds fall past the year
    // 9999): taken for a header, such a file was refused as having an unknown column named after its first time.
    private static bool IsHeader(string[] fields) => !IsNumber(fields[0]) && !TryParseTimestamp(fields[0], out _);

    private static string Unquoted(string field) =>
        field.Length >= 2 && field[0] == '"' && field[^1] == '"' ? field[1..^1].Trim() : field;

    private static bool IsNumber(string text) => IsNumber(text, out _);

    private static bool IsNumber(string text, out double number) => double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out number);

    private static bool TryReadHeader(string[] fields, string? valueColumn, int lineNumber, out int timeIndex, out int valueIndex, out string? error)
    {
        var names = fields.Select(f => f.Trim('"')).ToArray();
        timeIndex = Array.FindIndex(names, n => TimestampNames.Contains(n, StringComparer.OrdinalIgnoreCase));
        valueIndex = valueColumn is null ? -1 : Array.FindIndex(names, n => n.Equals(valueColumn, StringComparison.OrdinalIgnoreCase));
        if (valueIndex < 0)
        {
            valueIndex = Array.FindIndex(names, n => n.Equals("value", StringComparison.OrdinalIgnoreCase));
        }

        error = null;
        if (timeIndex < 0)
        {
            error = $"line {lineNumber}: unknown column '{names[0]}'; the header needs a 'timestamp' column (expected timestamp,value).";
        }
        else if (valueIndex < 0)
        {
            var time = timeIndex;
            var other = names.Where((_, i) => i != time).FirstOrDefault() ?? string.Empty;
            error = names.Length == 2
                ? $"line {lineNumber}: unknown column '{other}' (expected timestamp,value, or pass --signal {other})."
                : $"line {lineNumber}: no 'value' column{(valueColumn is null ? string.Empty : $" and no column named '{valueColumn}'")} among {string.Join(",", names)}.";
        }

        return error is null;
    }

    private static bool TryParseTimestamp(string text, out DateTimeOffset timestamp)
    {
        if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds))
        {
            if (double.IsFinite(seconds) && seconds > -62_135_596_800 && seconds < 253_402_300_799)
            {
                timestamp = DateTimeOffset.UnixEpoch.AddTicks((long)Math.Round(seconds * TimeSpan.TicksPerSecond));
                return true;
            }

            timestamp = default;
            return false;
        }

        return DateTimeOffset.TryParse(text.Trim('"'), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out timestamp);
    }

    /// <summary>Formats a time as ISO-8601 UTC.</summary>
    /// <param name="timestamp">The time.</param>
    /// <returns>The text.</returns>
    public static string Format(DateTimeOffset timestamp) =>
        timestamp.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
}
