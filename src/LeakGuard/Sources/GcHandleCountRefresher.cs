namespace LeakGuard.Sources;

/// <summary>
/// Keeps the GC handle count fresh, which only the runtime's <c>GCHeapStats</c> event reports: a
/// <see cref="GcEventListener"/> is switched on for one collection at a time, then off again.
/// </summary>
/// <remarks>
/// <para>A window opens when at least <see cref="MinInterval"/> has passed and <see cref="MinCollections"/>
/// collections ran since the last one, or when <see cref="MaxInterval"/> has passed; it closes after the first
/// complete collection it sees. A window costs ~1.4 KB and ~0.5 ms to switch the session on and off plus one
/// collection's events (~7 KB), so spread over at least 32 collections it stays below 300 B per collection.</para>
/// <para>Switching happens on a thread-pool thread: never on the finalizer thread (which <see cref="Observe"/>
/// runs on) nor on the event-dispatch thread (disabling waits for that thread).</para>
/// </remarks>
internal sealed class GcHandleCountRefresher : IDisposable
{
    /// <summary>The shortest time between two windows.</summary>
    public static readonly TimeSpan MinInterval = TimeSpan.FromSeconds(10);

    /// <summary>The longest time between two windows when collections are rare.</summary>
    public static readonly TimeSpan MaxInterval = TimeSpan.FromSeconds(60);

    /// <summary>The collections needed between two windows before <see cref="MaxInterval"/>.</summary>
    public const int MinCollections = 32;

    private readonly GcEventListener _listener;
    private readonly TimeProvider _time;
    private readonly object _gate = new();
    private readonly object _switchGate = new();
    private long _handleCount = -1;
    private long _windowClosedAtTicks = long.MinValue;
    private long _collectionsSinceWindow;
    private bool _open;
    private bool _switching;
    private bool _disposed;
    private long _windows;

    /// <summary>Initializes a new instance of the <see cref="GcHandleCountRefresher"/> class; the first window is open.</summary>
    /// <param name="listener">The listener to switch; owned by the refresher from now on.</param>
    /// <param name="time">The clock that spaces the windows.</param>
    public GcHandleCountRefresher(GcEventListener listener, TimeProvider? time = null)
    {
        _listener = listener;
        _time = time ?? TimeProvider.System;
        _open = true;
        _listener.GcCompleted += OnListenerSample;
        _listener.SetListening(true);
    }

    /// <summary>Gets the last GC handle count seen, or -1 before the first window closed.</summary>
    public long HandleCount => Volatile.Read(ref _handleCount);

    /// <summary>Gets the number of windows that delivered a count.</summary>
    public long WindowCount => Volatile.Read(ref _windows);

    /// <summary>Counts the collections since the previous call and opens a window when one is due; returns the last handle count.</summary>
    /// <param name="now">The current time.</param>
    /// <param name="collections">The collections that ran since the previous call (more than one when the source
    /// woke late or coalesced collections).</param>
    /// <returns>The last GC handle count seen, or -1.</returns>
    public long Observe(DateTimeOffset now, long collections = 1)
    {
        lock (_gate)
        {
            _collectionsSinceWindow += Math.Max(1, collections);
            if (!_open && !_disposed && IsDue(now.UtcTicks))
            {
                _open = true;
                Switch();
            }
        }

        return HandleCount;
    }

    /// <inheritdoc />
    public void Dispose()
    {
        lock (_gate)
        {
            _disposed = true;
        }

        _listener.GcCompleted -= OnListenerSample;

        // Not while a switch is being applied: enabling a disposed listener would start a session nobody stops.
        lock (_switchGate)
        {
            _listener.Dispose();
        }
    }

    private bool IsDue(long nowTicks)
    {
        if (_windowClosedAtTicks == long.MinValue)
        {
            return false;
        }

        var elapsed = nowTicks - _windowClosedAtTicks;
        return elapsed >= MaxInterval.Ticks || (elapsed >= MinInterval.Ticks && _collectionsSinceWindow >= MinCollections);
    }

    private void OnListenerSample(GcSample sample)
    {
        // The event-dispatch thread: record, and close the window from another thread.
        if (sample.GcHandleCount >= 0)
        {
            Volatile.Write(ref _handleCount, sample.GcHandleCount);
        }

        lock (_gate)
        {
            if (!_open || _disposed)
            {
                return;
            }

            Interlocked.Increment(ref _windows);
            _open = false;
            _collectionsSinceWindow = 0;
            _windowClosedAtTicks = _time.GetUtcNow().UtcTicks;
            Switch();
        }
    }

    /// <summary>Applies <see cref="_open"/> on a thread-pool thread unless a switch is already under way (it re-checks); called under the gate.</summary>
    private void Switch()
    {
        if (_switching)
        {
            return;
        }

        _switching = true;
        ThreadPool.UnsafeQueueUserWorkItem(static self => self.Apply(), this, preferLocal: false);
    }

    private void Apply()
    {
        while (true)
        {
            bool open;
            lock (_gate)
            {
                if (_disposed)
                {
                    _switching = false;
                    return;
                }

                open = _open;
            }

            lock (_switchGate)
            {
                try
                {
                    if (!Volatile.Read(ref _disposed))
                    {
                        _listener.SetListening(open);
                    }
                }
#pragma warning disable CA1031 // The handle count is optional: a failed switch leaves the last count in place.
                catch (Exception)
#pragma warning restore CA1031
                {
                }
            }

            lock (_gate)
            {
                // A window opened or closed while switching: apply the newer state.
                if (_open == open || _disposed)
                {
                    _switching = false;
                    return;
                }
            }
        }
    }
}
