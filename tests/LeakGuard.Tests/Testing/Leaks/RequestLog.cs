using System.Globalization;
using System.Text;

namespace LeakGuard.Tests.Testing.Leaks;

/// <summary>
/// Seed pattern "string accumulation": an in-memory request log with no cap. A line carries the client as access logs do
/// (~300 characters). With a bare 70-character line a round of 300 requests grew the buffer by 2–3 chunks of 16 KB, within
/// a factor of two of LeakAssert's 64 bytes per iteration, and one CI run found no growth (cause not confirmed; other
/// character arrays of the test host freed between the snapshots would do it).
/// </summary>
internal static class RequestLog
{
    private static readonly StringBuilder Buffer = new();

    public static void Write(int request) =>
        Buffer.Append("2026-11-24T07:00:00.000Z INFO GET /api/orders/").Append(request.ToString(CultureInfo.InvariantCulture)).Append(" -> 200 OK in 1.3 ms")
            .AppendLine(" client=10.0.0.17 user-agent=\"Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36\" trace=4bf92f3577b34da6a3ce929d0e0e4736 span=00f067aa0ba902b7");

    public static void Clear() => Buffer.Clear();
}
