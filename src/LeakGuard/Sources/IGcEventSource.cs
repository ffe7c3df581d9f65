namespace LeakGuard.Sources;

/// <summary>Produces a <see cref="GcSample"/> per observed garbage collection.</summary>
internal interface IGcEventSource : IDisposable
{
    /// <summary>Occurs once per observed collection, on the source's own thread. Handlers must be fast and must not throw.</summary>
    event Action<GcSample>? GcCompleted;

    /// <summary>
    /// Makes sure the next collection is observed. A source that coalesces collections at high collection rates
    /// (<see cref="GcMemoryInfoSource"/>) stays unobserving after a wake-up that came too soon after its arming;
    /// the monitor's sampling loop calls this on every step. Sources that observe every collection on their own do
    /// nothing. Thread-safe, never throws, allocates at most the source's wake-up object.
    /// </summary>
    void EnsureArmed()
    {
    }
}
