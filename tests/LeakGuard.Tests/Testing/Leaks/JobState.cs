namespace LeakGuard.Tests.Testing.Leaks;

/// <summary>What a background job works on.</summary>
internal sealed class JobState
{
    public byte[] Buffer { get; } = new byte[256];
}
