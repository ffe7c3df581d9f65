using LeakGuard.Sources;

namespace LeakGuard.Tests.Hosting.Fakes;

/// <summary>Returns <see cref="Next"/> stamped with the requested time; <see cref="Available"/> false mimics "before the first GC".</summary>
internal sealed class FakeMemoryProbe : IMemoryProbe
{
    public MemorySample Next { get; set; } = Samples.Memory();

    public bool Available { get; set; } = true;

    public int Reads { get; private set; }

    public bool Disposed { get; private set; }

    public bool ThrowOnRead { get; set; }

    public bool TryRead(DateTimeOffset timestamp, out MemorySample sample)
    {
        Reads++;
        if (ThrowOnRead)
        {
            throw new InvalidOperationException("probe bug");
        }

        sample = Next with { Timestamp = timestamp };
        return Available;
    }

    public void Dispose() => Disposed = true;
}
