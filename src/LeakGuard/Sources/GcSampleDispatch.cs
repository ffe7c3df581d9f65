using Microsoft.Extensions.Logging;

namespace LeakGuard.Sources;

/// <summary>
/// What every GC source does with a finished sample: count it, hand it to the subscribers, and keep a
/// subscriber's exception (or the source's own) away from the thread that raised it — the runtime's event
/// dispatch thread or the finalizer thread, where an escaping exception would end the host. The first fault
/// is logged; the rest are only counted. A mutable struct kept in a field of its source: no allocation.
/// </summary>
internal struct GcSampleDispatch
{
    private long _completedCount;
    private long _faultCount;

    /// <summary>Gets the number of samples handed to subscribers.</summary>
    public readonly long CompletedCount => Volatile.Read(in _completedCount);

    /// <summary>Gets the number of failures caught.</summary>
    public readonly long FaultCount => Volatile.Read(in _faultCount);

    /// <summary>Counts <paramref name="sample"/> and raises <paramref name="handlers"/>; never throws.</summary>
    /// <param name="handlers">The source's subscribers, if any.</param>
    /// <param name="sample">The finished sample.</param>
    /// <param name="logger">Receives the first fault.</param>
    public void Publish(Action<GcSample>? handlers, GcSample sample, ILogger logger)
    {
        Interlocked.Increment(ref _completedCount);
        try
        {
            handlers?.Invoke(sample);
        }
#pragma warning disable CA1031 // A subscriber's bug must not stop the source nor reach the runtime's thread.
        catch (Exception e)
#pragma warning restore CA1031
        {
            OnFault(e, logger);
        }
    }

    /// <summary>Counts a failure and logs the first one.</summary>
    /// <param name="e">The failure.</param>
    /// <param name="logger">Receives the first fault.</param>
    public void OnFault(Exception e, ILogger logger)
    {
        if (Interlocked.Increment(ref _faultCount) == 1)
        {
            SourcesLog.GcEventFailed(logger, e);
        }
    }
}
