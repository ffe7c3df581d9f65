using System.Runtime.ExceptionServices;
using LeakGuard.Hosting;

namespace LeakGuard;

/// <content>
/// Recording a death by <see cref="OutOfMemoryException"/> in the restart record (issue 21: such deaths were named
/// <c>crashed</c>, <c>oom_killed</c> or <c>clean_exit</c> depending on the last utilisation and on whether the host stopped
/// gracefully afterwards). A first-chance exception alone proves nothing (an oversized array, a handled failure); an
/// exception reaching the top of the app, or one thrown while the heap is at the GC's limit, does.
/// </content>
public sealed partial class LeakMonitor
{
    /// <summary>Below this utilisation of its limit the heap has recovered from a limit hit (a cache cleared, a burst passed).</summary>
    private const double RecoveredUtilization = 0.8;

    private long _firstChanceOutOfMemory;
    private long _seenFirstChanceOutOfMemory;
    private int _unhandledOutOfMemory;
    private int _gcLimitHit;
    private bool _outOfMemoryHooked;
    private double _lastHeapUtilization = double.NaN;

    /// <summary>Gets a value indicating whether this instance is recorded as having run out of memory.</summary>
    internal bool OutOfMemoryRecorded => Volatile.Read(ref _unhandledOutOfMemory) == 1 || Volatile.Read(ref _gcLimitHit) == 1;

    /// <summary>Records an exception that reached the top of the app (the runtime's unhandled-exception handler; tests call it directly).</summary>
    /// <param name="exception">The unhandled exception object.</param>
    internal void RecordUnhandled(object? exception)
    {
        if (!IsOutOfMemory(exception))
        {
            return;
        }

        Volatile.Write(ref _unhandledOutOfMemory, 1);
        try
        {
            // The process is about to end: write now, whatever the throttle. The unwound stack usually freed enough for
            // this small record; if not, the loop's last record (utilisation of the GC's heap limit) still tells.
            if (_stateStore is { } store)
            {
                var now = _time.GetUtcNow();
                store.Write(now, _currentState with { LastSeenAt = now, OutOfMemory = true }, force: true);
            }
        }
#pragma warning disable CA1031 // The runtime is ending the process; nothing may be thrown from its handler.
        catch (Exception)
#pragma warning restore CA1031
        {
        }
    }

    private static bool IsOutOfMemory(object? exception)
    {
        for (var (e, depth) = (exception as Exception, 0); e is not null && depth < 8; e = e.InnerException, depth++)
        {
            if (e is OutOfMemoryException || (e is AggregateException aggregate && aggregate.InnerExceptions.Any(IsOutOfMemory)))
            {
                return true;
            }
        }

        return false;
    }

    private void HookOutOfMemory()
    {
        if (_stateStore is null)
        {
            return;
        }

        AppDomain.CurrentDomain.FirstChanceException += OnFirstChanceException;
        AppDomain.CurrentDomain.UnhandledException += OnUnhandledException;
        _outOfMemoryHooked = true;
    }

    private void UnhookOutOfMemory()
    {
        if (_outOfMemoryHooked)
        {
            _outOfMemoryHooked = false;
            AppDomain.CurrentDomain.FirstChanceException -= OnFirstChanceException;
            AppDomain.CurrentDomain.UnhandledException -= OnUnhandledException;
        }
    }

    // Runs for every exception the app throws: one type test, no allocation.
    private void OnFirstChanceException(object? sender, FirstChanceExceptionEventArgs e)
    {
        if (e.Exception is OutOfMemoryException)
        {
            Interlocked.Increment(ref _firstChanceOutOfMemory);
        }
    }

    private void OnUnhandledException(object sender, UnhandledExceptionEventArgs e) => RecordUnhandled(e.ExceptionObject);

    /// <summary>
    /// A GC-limit hit: an <see cref="OutOfMemoryException"/> thrown since the last step while the heap's limit is nearly
    /// reached. It marks the instance until the heap falls clearly below the limit again.
    /// </summary>
    /// <returns><see langword="true"/> when the mark changed (the record is then written at once).</returns>
    private bool TrackGcLimitHit(in MemoryLimits limits)
    {
        var heapUtilization = limits.For(LeakSignals.ManagedHeap)?.Utilization ?? double.NaN;
        _lastHeapUtilization = heapUtilization;
        return TrackGcLimitHit(heapUtilization);
    }

    /// <summary>
    /// The same test at stop, against the heap's utilisation at the last step: a host that catches the exception and stops
    /// at once (a background service's failure stops the host) may end before another step sees the throw.
    /// </summary>
    private void TrackGcLimitHitAtStop() => _ = TrackGcLimitHit(_lastHeapUtilization);

    private bool TrackGcLimitHit(double heapUtilization)
    {
        var thrown = Volatile.Read(ref _firstChanceOutOfMemory);
        if (thrown != _seenFirstChanceOutOfMemory)
        {
            _seenFirstChanceOutOfMemory = thrown;
            if (heapUtilization >= RestartClassifier.ProbableOomUtilization)
            {
                return Interlocked.Exchange(ref _gcLimitHit, 1) == 0;
            }
        }
        else if (heapUtilization < RecoveredUtilization && Volatile.Read(ref _gcLimitHit) == 1)
        {
            // An exception that reached the top of the app is never cleared: the unwound stack frees memory before the end.
            Volatile.Write(ref _gcLimitHit, 0);
            return true;
        }

        return false;
    }
}
