using LeakGuard.Sources;

namespace LeakGuard.Hosting;

/// <summary>A memory probe that never has a reading: the placeholder until the real probe is wired in (see <see cref="MonitorComponents"/>).</summary>
internal sealed class InertMemoryProbe : IMemoryProbe
{
    /// <inheritdoc />
    public bool TryRead(DateTimeOffset timestamp, out MemorySample sample)
    {
        sample = default;
        return false;
    }

    /// <inheritdoc />
    public void Dispose()
    {
    }
}
