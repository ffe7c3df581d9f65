using System.Runtime.CompilerServices;

namespace LeakGuard.LeakZoo.Scenarios;

/// <summary>
/// Leak: an in-memory "recent events" log with no cap — a formatted line (~1 KB of text) per request,
/// plus the UTF-8 bytes of every error line for a later upload.
/// Held by the static fields <c>s_recentEvents</c> (<c>List&lt;string&gt;</c>) and <c>s_pendingUploads</c>.
/// </summary>
internal sealed class LogBufferScenario : RateScenario
{
    private const int UnitBytes = 1100;
    private static readonly List<string> s_recentEvents = [];
    private static readonly List<byte[]> s_pendingUploads = [];
    private static readonly string s_userAgent = "Mozilla/5.0 (X11; Linux x86_64) zoo-client/1.0 " + new string('x', 320);

    public LogBufferScenario(double bytesPerSecond)
        : base(bytesPerSecond / UnitBytes)
    {
    }

    public override string Description => "List<string> of recent log lines with no cap, plus List<byte[]> of error lines (static fields s_recentEvents, s_pendingUploads)";

    public override long Units => s_recentEvents.Count;

    [MethodImpl(MethodImplOptions.NoInlining)]
    protected override void RunOnce(long sequence)
    {
        var failed = sequence % 16 == 0;
        var line = $"{sequence:D10} {(failed ? "ERR" : "INF")} GET /api/orders/{sequence % 5000} status={(failed ? 500 : 200)} user-agent=\"{s_userAgent}\" trace={sequence * 7919:x16}";
        s_recentEvents.Add(line);
        if (failed)
        {
            s_pendingUploads.Add(System.Text.Encoding.UTF8.GetBytes(line));
        }
    }
}
