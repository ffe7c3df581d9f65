using System.Globalization;
using System.Text;

namespace LeakGuard.Tests.Testing.Leaks;

/// <summary>Seed pattern "string accumulation": an in-memory request log with no cap.</summary>
internal static class RequestLog
{
    private static readonly StringBuilder Buffer = new();

    public static void Write(int request) =>
        Buffer.Append("2026-11-24T07:00:00.000Z INFO GET /api/orders/").Append(request.ToString(CultureInfo.InvariantCulture)).AppendLine(" -> 200 OK in 1.3 ms");

    public static void Clear() => Buffer.Clear();
}
