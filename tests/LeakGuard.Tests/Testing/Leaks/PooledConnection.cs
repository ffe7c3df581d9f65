namespace LeakGuard.Tests.Testing.Leaks;

/// <summary>A pooled connection with its I/O buffer.</summary>
internal sealed class PooledConnection
{
    public byte[] Buffer { get; } = new byte[256];
}
