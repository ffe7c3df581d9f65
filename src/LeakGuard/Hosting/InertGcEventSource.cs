using LeakGuard.Sources;

namespace LeakGuard.Hosting;

/// <summary>A GC event source that reports nothing: the placeholder until the runtime listener is wired in (see <see cref="MonitorComponents"/>).</summary>
internal sealed class InertGcEventSource : IGcEventSource
{
    /// <inheritdoc />
    public event Action<GcSample>? GcCompleted
    {
        add { }
        remove { }
    }

    /// <inheritdoc />
    public void Dispose()
    {
    }
}
