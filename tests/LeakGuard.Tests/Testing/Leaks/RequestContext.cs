namespace LeakGuard.Tests.Testing.Leaks;

/// <summary>A request with its body: large compared with the one field a closure needs.</summary>
internal sealed class RequestContext
{
    public Guid Id { get; } = Guid.NewGuid();

    public byte[] Body { get; } = new byte[128];
}
