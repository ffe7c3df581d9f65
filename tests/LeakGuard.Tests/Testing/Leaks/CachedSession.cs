namespace LeakGuard.Tests.Testing.Leaks;

/// <summary>A user session as a cache would hold it.</summary>
internal sealed class CachedSession(int id)
{
    public int Id => id;

    public byte[] State { get; } = new byte[32];
}
