using LeakGuard.Sources;

namespace LeakGuard.Tests.Hosting.Fakes;

internal sealed class FakeGcEventSource : IGcEventSource
{
    public event Action<GcSample>? GcCompleted;

    public bool Disposed { get; private set; }

    public bool HasSubscribers => GcCompleted is not null;

    public void Raise(in GcSample sample) => GcCompleted?.Invoke(sample);

    public void Dispose() => Disposed = true;
}
