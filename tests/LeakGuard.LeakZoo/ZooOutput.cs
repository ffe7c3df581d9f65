using System.Diagnostics;
using System.Text.Json;

namespace LeakGuard.LeakZoo;

/// <summary>
/// The machine-readable lines the integration tests parse: <c>TAG {json}</c>, one per line on stdout.
/// Every payload carries <c>t</c>, the seconds since the process started (monotonic), so the tests
/// measure detection delays on the child's own clock, and <c>wall</c>, the Unix time in seconds (millisecond
/// resolution), so a test can place the child's lines against what the parent saw (the moment the child exited).
/// </summary>
internal static class ZooOutput
{
    public const string Start = "ZOO-START";
    public const string Sample = "ZOO-SAMPLE";
    public const string Stopping = "ZOO-STOPPING";
    public const string Overhead = "ZOO-OVERHEAD";
    public const string Error = "ZOO-ERROR";
    public const string Verdict = "LEAKGUARD-VERDICT";
    public const string Verdicts = "LEAKGUARD-VERDICTS";
    public const string Detected = "LEAKGUARD-DETECTED";
    public const string Report = "LEAKGUARD-REPORT";
    public const string Metrics = "LEAKGUARD-METRICS";
    public const string Unavailable = "LEAKGUARD-UNAVAILABLE";
    public const string OutOfMemoryEndCheck = "ZOO-OOM-END";

    private static readonly Stopwatch s_clock = Stopwatch.StartNew();
    private static readonly JsonSerializerOptions s_json = new(JsonSerializerDefaults.Web);
    private static readonly Lock s_gate = new();

    /// <summary>Gets the seconds since the process started.</summary>
    public static double Elapsed => Math.Round(s_clock.Elapsed.TotalSeconds, 3);

    public static void Write(string tag, IDictionary<string, object?> payload)
    {
        payload["t"] = Elapsed;
        payload["wall"] = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() / 1000.0;
        var line = $"{tag} {JsonSerializer.Serialize(payload, s_json)}";
        lock (s_gate)
        {
            Console.Out.WriteLine(line);
            Console.Out.Flush();
        }
    }
}
