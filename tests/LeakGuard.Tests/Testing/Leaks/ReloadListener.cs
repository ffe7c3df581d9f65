namespace LeakGuard.Tests.Testing.Leaks;

/// <summary>A per-request component that listens for configuration changes.</summary>
internal sealed class ReloadListener
{
    private readonly byte[] _cache = new byte[64];

    public void OnChanged(object? sender, EventArgs e) => _cache[0]++;
}
