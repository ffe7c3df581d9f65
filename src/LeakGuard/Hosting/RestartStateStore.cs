using System.Text.Json;
using Microsoft.Extensions.Logging;

namespace LeakGuard.Hosting;

/// <summary>
/// Reads and writes the <see cref="RestartState"/> record in <c>StateDirectory</c>: atomically (temporary file, then
/// fsync, rename, so a kill mid-write leaves the old record intact and the next start removes the temporary file) and throttled (the loop runs every second; the disk
/// need not). Failures are logged once and never thrown.
/// </summary>
internal sealed class RestartStateStore
{
    /// <summary>The file name inside the state directory.</summary>
    public const string FileName = "leakguard-state.json";

    /// <summary>The longest time between two writes while running.</summary>
    public static readonly TimeSpan WriteInterval = TimeSpan.FromSeconds(10);

    /// <summary>A move in utilisation that is written at once (an OOM kill follows a rise within seconds; issue 21 measured a record 9 s stale at 5 points).</summary>
    public const double UtilizationStep = 0.01;

    private readonly object _gate = new();
    private readonly ILogger _logger;
    private readonly string _path;
    private readonly StateFileWriter _writer;
    private DateTimeOffset _lastWrite = DateTimeOffset.MinValue;
    private double _lastWrittenUtilization = double.NaN;

    /// <summary>Initializes a new instance of the <see cref="RestartStateStore"/> class.</summary>
    /// <param name="directory">The state directory (created when missing).</param>
    /// <param name="logger">The logger.</param>
    public RestartStateStore(string directory, ILogger logger)
    {
        _logger = logger;
        _path = Path.Combine(directory, FileName);
        _writer = new StateFileWriter(_path, logger);
    }

    /// <summary>Gets the state file's path.</summary>
    public string FilePath => _path;

    /// <summary>Reads the previous instance's record.</summary>
    /// <param name="corrupt">Set when a file existed but could not be read or parsed (logged once here).</param>
    /// <returns>The record, or <see langword="null"/> when there is none or it is corrupt.</returns>
    public RestartState? ReadPrevious(out bool corrupt)
    {
        corrupt = false;
        try
        {
            if (!File.Exists(_path))
            {
                return null;
            }

            return Parse(File.ReadAllBytes(_path));
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or JsonException or FormatException or InvalidOperationException or KeyNotFoundException)
        {
            corrupt = true;
            Log.StateCorrupt(_logger, _path, ex.Message);
            return null;
        }
    }

    /// <summary>Writes the record when due: always when <paramref name="force"/>, else at most every <see cref="WriteInterval"/> unless utilisation moved by <see cref="UtilizationStep"/>.
    /// Thread-safe: the loop and a dying thread's unhandled-exception handler may write at once.</summary>
    /// <param name="now">The current time.</param>
    /// <param name="state">The record.</param>
    /// <param name="force">Write regardless of the throttle (start, exit, a verdict change, an out-of-memory death).</param>
    /// <returns><see langword="true"/> when written.</returns>
    public bool Write(DateTimeOffset now, RestartState state, bool force)
    {
        ArgumentNullException.ThrowIfNull(state);
        lock (_gate)
        {
            return WriteLocked(now, state, force);
        }
    }

    private bool WriteLocked(DateTimeOffset now, RestartState state, bool force)
    {
        if (!force && now - _lastWrite < WriteInterval && !MovedByStep(state.LastUtilization))
        {
            return false;
        }

        if (!_writer.Write(now, Serialize(state), removeStale: force))
        {
            return false;
        }

        _lastWrite = now;
        _lastWrittenUtilization = state.LastUtilization;
        return true;
    }

    /// <summary>Serialises a record as a small JSON object.</summary>
    /// <param name="state">The record.</param>
    /// <returns>UTF-8 JSON.</returns>
    public static byte[] Serialize(RestartState state)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteNumber("version", 1);
            writer.WriteNumber("processId", state.ProcessId);
            writer.WriteString("startedAt", state.StartedAt);
            writer.WriteString("lastSeenAt", state.LastSeenAt);
            if (double.IsFinite(state.LastUtilization))
            {
                writer.WriteNumber("lastUtilization", state.LastUtilization);
            }

            if (state.LastLimit is not null)
            {
                writer.WriteString("lastLimit", state.LastLimit);
            }

            writer.WriteBoolean("outOfMemory", state.OutOfMemory);
            if (state.Alarms is not null)
            {
                writer.WriteString("alarms", state.Alarms);
            }

            writer.WriteNumber("oomKillCount", state.OomKillCount);
            writer.WriteBoolean("cleanExit", state.CleanExit);
            if (state.ExitReason is not null)
            {
                writer.WriteString("exitReason", state.ExitReason);
            }

            writer.WriteEndObject();
        }

        return buffer.ToArray();
    }

    /// <summary>Parses a record.</summary>
    /// <param name="json">UTF-8 JSON.</param>
    /// <returns>The record.</returns>
    /// <exception cref="JsonException">The text is not a record.</exception>
    public static RestartState Parse(ReadOnlySpan<byte> json)
    {
        var reader = new Utf8JsonReader(json);
        using var document = JsonDocument.ParseValue(ref reader);
        var root = document.RootElement;
        if (root.ValueKind != JsonValueKind.Object || root.GetProperty("version").GetInt32() != 1)
        {
            throw new JsonException("Not a LeakGuard state record of version 1.");
        }

        return new RestartState
        {
            ProcessId = root.GetProperty("processId").GetInt32(),
            StartedAt = root.GetProperty("startedAt").GetDateTimeOffset(),
            LastSeenAt = root.GetProperty("lastSeenAt").GetDateTimeOffset(),
            LastUtilization = root.TryGetProperty("lastUtilization", out var u) ? u.GetDouble() : double.NaN,
            LastLimit = root.TryGetProperty("lastLimit", out var limit) ? limit.GetString() : null,
            OutOfMemory = root.TryGetProperty("outOfMemory", out var oom) && oom.GetBoolean(),
            Alarms = root.TryGetProperty("alarms", out var alarms) ? alarms.GetString() : null,
            OomKillCount = root.GetProperty("oomKillCount").GetInt64(),
            CleanExit = root.GetProperty("cleanExit").GetBoolean(),
            ExitReason = root.TryGetProperty("exitReason", out var r) ? r.GetString() : null,
        };
    }

    private bool MovedByStep(double utilization) =>
        double.IsFinite(utilization) && (double.IsNaN(_lastWrittenUtilization) || Math.Abs(utilization - _lastWrittenUtilization) >= UtilizationStep);
}
