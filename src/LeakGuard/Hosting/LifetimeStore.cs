using System.Globalization;
using System.Text.Json;
using Microsoft.Extensions.Logging;

namespace LeakGuard.Hosting;

/// <summary>
/// Reads and writes <see cref="FileName"/> in <c>StateDirectory</c>: the last <see cref="MaxLifetimes"/> lifetimes' summaries,
/// oldest first. Written the way <see cref="RestartStateStore"/> writes its record (temporary file, fsync, rename), throttled
/// to one write per <see cref="WriteInterval"/> unless forced. Bounded: at most <see cref="MaxLifetimes"/> entries, hourly
/// floors only for lifetimes within <see cref="HourlyRetention"/> of the newest, strings cut to <see cref="MaxStringLength"/>,
/// and a file above <see cref="MaxFileBytes"/> is neither written nor read. A corrupt or oversized file is reported once and
/// replaced; nothing is thrown.
/// </summary>
internal sealed class LifetimeStore
{
    /// <summary>The file name inside the state directory.</summary>
    public const string FileName = "leakguard-lifetimes.json";

    /// <summary>The number of lifetimes kept.</summary>
    public const int MaxLifetimes = 16;

    /// <summary>The largest file read or written (the bounds above keep a real one under 64 KiB).</summary>
    public const int MaxFileBytes = 256 * 1024;

    /// <summary>The longest string kept (a type name, a signature).</summary>
    public const int MaxStringLength = 512;

    /// <summary>The longest time between two writes while running.</summary>
    public static readonly TimeSpan WriteInterval = TimeSpan.FromSeconds(10);

    /// <summary>How far back from the newest lifetime's start the hourly floors are kept: three days, what daily-cycle evidence needs.</summary>
    public static readonly TimeSpan HourlyRetention = TimeSpan.FromDays(3);

    private readonly object _gate = new();
    private readonly ILogger _logger;
    private readonly string _path;
    private readonly StateFileWriter _writer;
    private DateTimeOffset _lastWrite = DateTimeOffset.MinValue;

    /// <summary>Initializes a new instance of the <see cref="LifetimeStore"/> class.</summary>
    /// <param name="directory">The state directory.</param>
    /// <param name="logger">The logger.</param>
    public LifetimeStore(string directory, ILogger logger)
    {
        _logger = logger;
        _path = Path.Combine(directory, FileName);
        _writer = new StateFileWriter(_path, logger);
    }

    /// <summary>Gets the file's path.</summary>
    public string FilePath => _path;

    /// <summary>Returns whether a throttled write would happen now (the caller then builds the summary, not before).</summary>
    /// <param name="now">The current time.</param>
    /// <returns><see langword="true"/> when <see cref="WriteInterval"/> has passed since the last write.</returns>
    public bool Due(DateTimeOffset now)
    {
        lock (_gate)
        {
            return now - _lastWrite >= WriteInterval;
        }
    }

    /// <summary>Reads the recorded lifetimes; a missing file is none, a corrupt or oversized one is reported (EventId 56) and counts as none.</summary>
    /// <returns>The lifetimes, oldest first.</returns>
    public List<LifetimeSummary> Read()
    {
        try
        {
            var info = new FileInfo(_path);
            if (!info.Exists)
            {
                return [];
            }

            if (info.Length > MaxFileBytes)
            {
                Log.LifetimesUnreadable(_logger, _path, string.Create(CultureInfo.InvariantCulture, $"{info.Length} bytes, more than the {MaxFileBytes} a lifetimes file may have"));
                return [];
            }

            return Parse(File.ReadAllBytes(_path));
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or JsonException or FormatException or InvalidOperationException or KeyNotFoundException or OverflowException or ArgumentException)
        {
            Log.LifetimesUnreadable(_logger, _path, ex.Message);
            return [];
        }
    }

    /// <summary>Writes the lifetimes when due: always when <paramref name="force"/>, else at most every <see cref="WriteInterval"/>. Thread-safe.</summary>
    /// <param name="now">The current time.</param>
    /// <param name="lifetimes">The lifetimes, oldest first (bounded here).</param>
    /// <param name="force">Write regardless of the throttle.</param>
    /// <returns><see langword="true"/> when written.</returns>
    public bool Write(DateTimeOffset now, IReadOnlyList<LifetimeSummary> lifetimes, bool force)
    {
        ArgumentNullException.ThrowIfNull(lifetimes);
        lock (_gate)
        {
            if (!force && now - _lastWrite < WriteInterval)
            {
                return false;
            }

            // A failed write is retried after the interval, not at every step (the summary is built for each attempt).
            _lastWrite = now;
            return _writer.Write(now, Serialize(lifetimes), removeStale: force);
        }
    }

    /// <summary>Applies the bounds: the newest <see cref="MaxLifetimes"/>, hourly floors only within <see cref="HourlyRetention"/> of the newest start.</summary>
    /// <param name="lifetimes">The lifetimes, oldest first.</param>
    /// <returns>The bounded list.</returns>
    public static List<LifetimeSummary> Bound(IReadOnlyList<LifetimeSummary> lifetimes)
    {
        ArgumentNullException.ThrowIfNull(lifetimes);
        var kept = lifetimes.Skip(Math.Max(0, lifetimes.Count - MaxLifetimes)).ToList();
        if (kept.Count == 0)
        {
            return kept;
        }

        var cutoff = kept[^1].StartedAt - HourlyRetention;
        for (var i = 0; i < kept.Count; i++)
        {
            if (kept[i].LastSeenAt < cutoff && kept[i].Signals.Any(s => s.HourlyFloors.Count > 0))
            {
                kept[i] = kept[i] with { Signals = [.. kept[i].Signals.Select(s => s with { HourlyFloors = [] })] };
            }
        }

        return kept;
    }

    /// <summary>Serialises the bounded lifetimes; while the text exceeds <see cref="MaxFileBytes"/> the oldest are left out.</summary>
    /// <param name="lifetimes">The lifetimes, oldest first.</param>
    /// <returns>UTF-8 JSON.</returns>
    public static byte[] Serialize(IReadOnlyList<LifetimeSummary> lifetimes)
    {
        var kept = Bound(lifetimes);
        while (true)
        {
            var bytes = SerializeAll(kept);
            if (bytes.Length <= MaxFileBytes || kept.Count == 0)
            {
                return bytes;
            }

            kept.RemoveAt(0);
        }
    }

    /// <summary>Parses a lifetimes file.</summary>
    /// <param name="json">UTF-8 JSON.</param>
    /// <returns>The lifetimes, oldest first, at most <see cref="MaxLifetimes"/>.</returns>
    /// <exception cref="JsonException">The text is not a lifetimes file.</exception>
    public static List<LifetimeSummary> Parse(ReadOnlySpan<byte> json)
    {
        var reader = new Utf8JsonReader(json);
        using var document = JsonDocument.ParseValue(ref reader);
        var root = document.RootElement;
        if (root.ValueKind != JsonValueKind.Object || root.GetProperty("version").GetInt32() != 1)
        {
            throw new JsonException("Not a LeakGuard lifetimes file of version 1.");
        }

        var result = new List<LifetimeSummary>();
        foreach (var e in root.GetProperty("lifetimes").EnumerateArray())
        {
            result.Add(new LifetimeSummary
            {
                ProcessId = e.GetProperty("processId").GetInt32(),
                StartedAt = e.GetProperty("startedAt").GetDateTimeOffset(),
                LastSeenAt = e.GetProperty("lastSeenAt").GetDateTimeOffset(),
                Reason = String(e, "reason"),
                PeakUtilization = Number(e, "peakUtilization"),
                LimitBytes = e.TryGetProperty("limitBytes", out var lb) ? lb.GetInt64() : -1,
                Limit = String(e, "limit"),
                FloorWidth = TimeSpan.FromSeconds(e.GetProperty("floorWidthSeconds").GetDouble()),
                UtilizationFloors = Numbers(e, "utilizationFloors"),
                LeakType = String(e, "leakType"),
                LeakSignature = String(e, "leakSignature"),
                Signals = [.. e.GetProperty("signals").EnumerateArray().Select(s => new LifetimeSignal
                {
                    Signal = s.GetProperty("signal").GetString() ?? throw new JsonException("A signal without a name."),
                    First = Number(s, "first"),
                    Last = Number(s, "last"),
                    Peak = Number(s, "peak"),
                    State = String(s, "state"),
                    RatePerSecond = Number(s, "rate"),
                    RateLowerPerSecond = Number(s, "rateLower"),
                    RateUpperPerSecond = Number(s, "rateUpper"),
                    Horizon = TimeSpan.FromSeconds(s.TryGetProperty("horizonSeconds", out var h) ? h.GetDouble() : 0),
                    HourlyFrom = s.TryGetProperty("hourlyFrom", out var from) ? from.GetDateTimeOffset() : default,
                    HourlyFloors = Numbers(s, "hourlyFloors"),
                })],
            });
        }

        return result.Count > MaxLifetimes ? result.GetRange(result.Count - MaxLifetimes, MaxLifetimes) : result;
    }

    private static byte[] SerializeAll(IReadOnlyList<LifetimeSummary> lifetimes)
    {
        using var buffer = new MemoryStream();
        using (var w = new Utf8JsonWriter(buffer))
        {
            w.WriteStartObject();
            w.WriteNumber("version", 1);
            w.WriteStartArray("lifetimes");
            foreach (var l in lifetimes)
            {
                w.WriteStartObject();
                w.WriteNumber("processId", l.ProcessId);
                w.WriteString("startedAt", l.StartedAt);
                w.WriteString("lastSeenAt", l.LastSeenAt);
                WriteString(w, "reason", l.Reason);
                WriteNumber(w, "peakUtilization", l.PeakUtilization);
                if (l.LimitBytes >= 0)
                {
                    w.WriteNumber("limitBytes", l.LimitBytes);
                }

                WriteString(w, "limit", l.Limit);
                w.WriteNumber("floorWidthSeconds", l.FloorWidth.TotalSeconds);
                WriteNumbers(w, "utilizationFloors", l.UtilizationFloors);
                WriteString(w, "leakType", l.LeakType);
                WriteString(w, "leakSignature", l.LeakSignature);
                w.WriteStartArray("signals");
                foreach (var s in l.Signals)
                {
                    w.WriteStartObject();
                    w.WriteString("signal", Cut(s.Signal));
                    WriteNumber(w, "first", s.First);
                    WriteNumber(w, "last", s.Last);
                    WriteNumber(w, "peak", s.Peak);
                    WriteString(w, "state", s.State);
                    WriteNumber(w, "rate", s.RatePerSecond);
                    WriteNumber(w, "rateLower", s.RateLowerPerSecond);
                    WriteNumber(w, "rateUpper", s.RateUpperPerSecond);
                    w.WriteNumber("horizonSeconds", s.Horizon.TotalSeconds);
                    if (s.HourlyFloors.Count > 0)
                    {
                        w.WriteString("hourlyFrom", s.HourlyFrom);
                        WriteNumbers(w, "hourlyFloors", s.HourlyFloors);
                    }

                    w.WriteEndObject();
                }

                w.WriteEndArray();
                w.WriteEndObject();
            }

            w.WriteEndArray();
            w.WriteEndObject();
        }

        return buffer.ToArray();
    }

    private static string Cut(string text) => text.Length > MaxStringLength ? text[..MaxStringLength] : text;

    private static void WriteString(Utf8JsonWriter w, string name, string? value)
    {
        if (value is not null)
        {
            w.WriteString(name, Cut(value));
        }
    }

    private static void WriteNumber(Utf8JsonWriter w, string name, double value)
    {
        if (double.IsFinite(value))
        {
            w.WriteNumber(name, value);
        }
    }

    private static void WriteNumbers(Utf8JsonWriter w, string name, IReadOnlyList<double> values)
    {
        w.WriteStartArray(name);
        foreach (var v in values)
        {
            if (double.IsFinite(v))
            {
                w.WriteNumberValue(v);
            }
            else
            {
                w.WriteNullValue();
            }
        }

        w.WriteEndArray();
    }

    private static string? String(JsonElement e, string name) => e.TryGetProperty(name, out var v) && v.ValueKind != JsonValueKind.Null ? v.GetString() : null;

    private static double Number(JsonElement e, string name) => e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.Number ? v.GetDouble() : double.NaN;

    private static double[] Numbers(JsonElement e, string name) =>
        e.TryGetProperty(name, out var v)
            ? [.. v.EnumerateArray().Take(LifetimeRecorder.HourlyCapacity).Select(x => x.ValueKind == JsonValueKind.Number ? x.GetDouble() : double.NaN)]
            : [];
}
