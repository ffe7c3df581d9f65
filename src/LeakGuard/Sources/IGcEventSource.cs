namespace LeakGuard.Sources;

/// <summary>Produces one <see cref="GcSample"/> per garbage collection.</summary>
internal interface IGcEventSource : IDisposable
{
    /// <summary>Occurs once per completed collection, on the source's own thread. Handlers must be fast and must not throw.</summary>
    event Action<GcSample>? GcCompleted;
}
