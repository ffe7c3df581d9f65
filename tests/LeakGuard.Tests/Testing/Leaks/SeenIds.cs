namespace LeakGuard.Tests.Testing.Leaks;

/// <summary>Seed pattern "globals and module-level state": a small registry of seen request ids that is never cleared.</summary>
internal static class SeenIds
{
    private static readonly HashSet<string> Registry = new(StringComparer.Ordinal);
    private static int _next;

    public static bool Record() => Registry.Add("request-" + Interlocked.Increment(ref _next).ToString(System.Globalization.CultureInfo.InvariantCulture));

    public static void Clear() => Registry.Clear();
}
