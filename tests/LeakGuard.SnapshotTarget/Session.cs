namespace LeakGuard.SnapshotTarget;

/// <summary>The object the demo leaks: an id and a small payload, like a web session.</summary>
internal sealed class Session
{
    public Guid Id { get; } = Guid.NewGuid();

    public byte[] Payload { get; } = new byte[16];
}
