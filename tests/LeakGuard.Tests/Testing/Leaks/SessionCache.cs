namespace LeakGuard.Tests.Testing.Leaks;

/// <summary>Seed pattern "unbounded cache": every session is cached for performance and never evicted.</summary>
internal static class SessionCache
{
    private static readonly Dictionary<int, CachedSession> Sessions = [];
    private static int _next;

    public static void Remember()
    {
        var session = new CachedSession(Interlocked.Increment(ref _next));
        Sessions[session.Id] = session;
    }

    public static void Clear() => Sessions.Clear();
}
