using System.Diagnostics;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace LeakGuard.Sources;

/// <summary>
/// Produces a <see cref="GcSample"/> per observed collection from <see cref="GC.GetGCMemoryInfo(GCKind)"/>, woken after
/// a collection by a finalizable sentinel that re-arms itself in its finalizer (on the runtime's finalizer
/// thread). The GC handle count, which no API exposes, comes from short windows of the runtime's GC events
/// (<see cref="GcHandleCountRefresher"/>).
/// </summary>
/// <remarks>
/// <para>Cost per collection: one 24-byte sentinel and one <see cref="GC.GetGCMemoryInfo(GCKind)"/> call (288 B),
/// against ~7 KB of event objects for an in-process <c>EventListener</c> that receives the ~20 GC-keyword events of
/// every collection (docs/performance.md).</para>
/// <para>The sentinel is allocated in generation 0 and unreachable at once, so every collection queues its
/// finalizer. When the finalizer thread runs late and several collections happened in between, the latest
/// ephemeral, full blocking and background collections are read too (the runtime keeps the last of each
/// kind); collections that are still missing are counted in <see cref="MissedCount"/>.</para>
/// <para>Coalescing (<c>LeakGuard:MaxGcSamplesPerSecond</c>, default 10): a wake-up that comes sooner than 1/N
/// seconds after its sentinel was armed does not re-arm it, so the finalizer thread is not woken by the
/// collections that follow (its wake-up is most of the source's cost). The monitor's sampling loop re-arms it
/// (<see cref="EnsureArmed"/>), so above N collections per second one collection per step is observed; the next collection's wake then reads the last ephemeral, full blocking and
/// background collection as after a late finalizer, so the last generation-2 collection of each kind is still seen.
/// The collections not observed this way are counted in <see cref="CoalescedCount"/>, not in
/// <see cref="MissedCount"/>.</para>
/// <para>Nothing escapes the finalizer (an exception there would end the process): failures are counted and
/// logged once. After <see cref="Dispose"/> the sentinel is not re-armed.</para>
/// </remarks>
internal sealed class GcMemoryInfoSource : IGcEventSource
{
    private const int MaxPerWake = 4;

    private readonly ILogger _logger;
    private readonly TimeProvider _time;
    private readonly GcHandleCountRefresher? _handles;
    private readonly object _gate = new();
    private readonly GcSample[] _pending = new GcSample[MaxPerWake];

    // Coalescing: a wake-up sooner than this many Stopwatch ticks after its sentinel was armed leaves the source unarmed
    // until EnsureArmed (the sampling loop) arms it again. 0 = every collection re-arms.
    private readonly long _minWakeTicks;
    private long _lastIndex;
    private long _lastBackgroundIndex;
    private int _lastGen2Count;
    private bool _watchBackground;
    private int _watchedWakes;
    private long _missedCount;
    private long _coalescedCount;
    private GcSampleDispatch _dispatch;
    private int _disposed;
    private long _armedTimestamp;
    private long _wakeCount;
    private int _armed;

    // Collections up to this count completed while the source was unarmed: unread ones up to it are coalesced, not missed.
    private long _coalescedUpTo;

    /// <summary>Initializes a new instance of the <see cref="GcMemoryInfoSource"/> class and arms the sentinel.</summary>
    /// <param name="logger">Receives a warning the first time reading or a handler fails.</param>
    /// <param name="time">The clock that stamps samples (the collection's end is not reported by the API).</param>
    /// <param name="handles">Supplies the GC handle count; <see langword="null"/> reports -1.</param>
    /// <param name="maxSamplesPerSecond">Coalescing: after a wake-up sooner than 1/<paramref name="maxSamplesPerSecond"/>
    /// seconds after its arming the sentinel is not re-armed, and the collections until <see cref="EnsureArmed"/>
    /// are not observed (counted in <see cref="CoalescedCount"/>). 0 observes every collection.</param>
    public GcMemoryInfoSource(
        ILogger? logger = null,
        TimeProvider? time = null,
        GcHandleCountRefresher? handles = null,
        int maxSamplesPerSecond = LeakGuardOptions.DefaultMaxGcSamplesPerSecond)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(maxSamplesPerSecond);
        _logger = logger ?? NullLogger.Instance;
        _time = time ?? TimeProvider.System;
        _handles = handles;
        _minWakeTicks = maxSamplesPerSecond == 0 ? 0 : Math.Max(1, Stopwatch.Frequency / maxSamplesPerSecond);

        // Collections that ran before the source existed are not reported.
        _lastIndex = GC.GetGCMemoryInfo(GCKind.Any).Index;
        _lastBackgroundIndex = GC.GetGCMemoryInfo(GCKind.Background).Index;
        _lastGen2Count = GC.CollectionCount(2);
        TryArm(coalesced: false);
    }

    /// <inheritdoc />
    public event Action<GcSample>? GcCompleted;

    /// <summary>Gets the number of samples produced.</summary>
    public long CompletedCount => _dispatch.CompletedCount;

    /// <summary>Gets the number of collections that ran between two wake-ups and could not be read any more.</summary>
    public long MissedCount => Volatile.Read(ref _missedCount);

    /// <summary>Gets the number of collections not observed on purpose: they completed while the source was unarmed
    /// after a wake-up that came sooner than the configured rate allows (coalescing), and were not the last of their kind.</summary>
    public long CoalescedCount => Volatile.Read(ref _coalescedCount);

    /// <summary>Gets the number of times a collection woke the source (sentinel finalizers run).</summary>
    internal long WakeCount => Volatile.Read(ref _wakeCount);

    /// <summary>Gets a value indicating whether a sentinel is alive, i.e. the next collection will be observed.</summary>
    internal bool IsArmed => Volatile.Read(ref _armed) != 0;

    /// <summary>Gets the number of failures caught while reading or in handlers.</summary>
    public long FaultCount => _dispatch.FaultCount;

    /// <inheritdoc />
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 0)
        {
            _handles?.Dispose();
        }
    }

    /// <summary>Arms the sentinel when the last wake-up left it unarmed (coalescing); otherwise does nothing.
    /// Called by the monitor's sampling loop on every step. Thread-safe (one sentinel alive at a time) and never throws.</summary>
    public void EnsureArmed()
    {
        if (Volatile.Read(ref _armed) != 0)
        {
            return;
        }

        try
        {
            TryArm(coalesced: true);
        }
#pragma warning disable CA1031 // Runs in the sampling loop: an allocation failure leaves the source unarmed until the next step.
        catch (Exception e)
#pragma warning restore CA1031
        {
            OnFault(e);
        }
    }

    /// <summary>Reads the collections that completed since the last call and raises <see cref="GcCompleted"/> for each.
    /// Called by the sentinel's finalizer; tests may call it directly.</summary>
    internal void Poll()
    {
        try
        {
            lock (_gate)
            {
                var count = Collect();
                for (var i = 0; i < count; i++)
                {
                    Publish(_pending[i]);
                }
            }
        }
#pragma warning disable CA1031 // Runs on the finalizer thread: an escaping exception would end the host process.
        catch (Exception e)
#pragma warning restore CA1031
        {
            OnFault(e);
        }
    }

    private static GcSample ToSample(in GCMemoryInfo info, DateTimeOffset now, long handles)
    {
        var generations = info.GenerationInfo;
        var pauses = info.PauseDurations;
        var pause = TimeSpan.Zero;
        foreach (var p in pauses)
        {
            pause += p;
        }

        var gen0 = Size(generations, 0);
        var gen1 = Size(generations, 1);
        var gen2 = Size(generations, 2);
        var loh = Size(generations, 3);
        var poh = Size(generations, 4);
        return new GcSample
        {
            Timestamp = now,
            Index = info.Index,
            Generation = info.Generation,
            Reason = -1,
            Type = info.Concurrent ? 1 : 0,
            PauseDuration = pause,
            HeapSizeAfterBytes = gen0 + gen1 + gen2 + loh + Math.Max(poh, 0),
            Gen0SizeBytes = gen0,
            Gen1SizeBytes = gen1,
            Gen2SizeBytes = gen2,
            LohSizeBytes = loh,
            PohSizeBytes = poh,
            PromotedBytes = info.PromotedBytes,
            FinalizationPromotedCount = info.FinalizationPendingCount,
            PinnedObjectCount = info.PinnedObjectsCount,
            GcHandleCount = handles,
        };
    }

    private static long Size(ReadOnlySpan<GCGenerationInfo> generations, int generation) =>
        generation < generations.Length ? generations[generation].SizeAfterBytes : -1;

    /// <summary>Fills <see cref="_pending"/> with the unseen collections in index order; returns how many.</summary>
    private int Collect()
    {
        var any = GC.GetGCMemoryInfo(GCKind.Any);
        var gen2Count = GC.CollectionCount(2);
        var gen2Ran = gen2Count != _lastGen2Count;
        _lastGen2Count = gen2Count;
        if (any.Index <= _lastIndex && !gen2Ran && !_watchBackground)
        {
            return 0;
        }

        var now = _time.GetUtcNow();
        var handles = _handles?.Observe(now, any.Index - _lastIndex) ?? -1;
        var count = 0;
        var lastIndex = _lastIndex;
        Add(any, now, handles, ref count);

        // The finalizer ran late: the runtime still has the last collection of each kind.
        if (any.Index > lastIndex + 1)
        {
            Add(GC.GetGCMemoryInfo(GCKind.Ephemeral), now, handles, ref count);
        }

        // A background collection is counted in generation 2 when it starts but recorded when it ends, after
        // the ephemeral collections that ran during it: watch for it until it shows up.
        if (gen2Ran || _watchBackground)
        {
            var before = count;
            if (gen2Ran)
            {
                Add(GC.GetGCMemoryInfo(GCKind.FullBlocking), now, handles, ref count);
            }

            Add(GC.GetGCMemoryInfo(GCKind.Background), now, handles, ref count);
            var found = false;
            for (var i = before; i < count; i++)
            {
                found |= _pending[i].Generation == 2;
            }

            found |= any.Generation == 2 && any.Index > lastIndex;
            _watchedWakes = gen2Ran ? 0 : _watchedWakes + 1;

            // Bounded: a background collection that never shows up is given up after a few hundred collections.
            _watchBackground = !found && _watchedWakes < 256;
        }

        _pending.AsSpan(0, count).Sort(static (a, b) => a.Index.CompareTo(b.Index));
        var newest = lastIndex;
        var blocking = 0;
        var beyond = 0;
        for (var i = 0; i < count; i++)
        {
            beyond += _pending[i].Index > lastIndex ? 1 : 0;
            if (_pending[i].Type == 1)
            {
                _lastBackgroundIndex = Math.Max(_lastBackgroundIndex, _pending[i].Index);

                // Counted as missed (or coalesced) when a later collection went past its index; it arrived after all.
                if (_pending[i].Index <= lastIndex)
                {
                    if (_pending[i].Index <= _coalescedUpTo && Volatile.Read(ref _coalescedCount) > 0)
                    {
                        Interlocked.Decrement(ref _coalescedCount);
                    }
                    else if (Volatile.Read(ref _missedCount) > 0)
                    {
                        Interlocked.Decrement(ref _missedCount);
                    }
                }
            }
            else
            {
                blocking++;
            }

            newest = Math.Max(newest, _pending[i].Index);
        }

        // Background collections end after the ephemeral ones that ran during them, so only a gap between
        // blocking collections is certain to be lost.
        var gap = newest - lastIndex - beyond;
        if (gap > 0 && blocking > 0)
        {
            // The unread collections up to the count at re-arming ran while the source was unarmed on purpose.
            var unarmed = Math.Min(Volatile.Read(ref _coalescedUpTo), newest) - lastIndex;
            for (var i = 0; i < count && unarmed > 0; i++)
            {
                unarmed -= _pending[i].Index > lastIndex && _pending[i].Index <= _coalescedUpTo ? 1 : 0;
            }

            var coalesced = Math.Clamp(unarmed, 0, gap);
            Interlocked.Add(ref _coalescedCount, coalesced);
            Interlocked.Add(ref _missedCount, gap - coalesced);
        }

        _lastIndex = newest;
        return count;
    }

    private void Add(in GCMemoryInfo info, DateTimeOffset now, long handles, ref int count)
    {
        if (info.Index == 0 || count == _pending.Length)
        {
            return;
        }

        var unseen = info.Concurrent ? info.Index > _lastBackgroundIndex : info.Index > _lastIndex;
        if (!unseen)
        {
            return;
        }

        for (var i = 0; i < count; i++)
        {
            if (_pending[i].Index == info.Index)
            {
                return;
            }
        }

        _pending[count++] = ToSample(info, now, handles);
    }

    private void Publish(GcSample sample) => _dispatch.Publish(GcCompleted, sample, _logger);

    private void OnFault(Exception e) => _dispatch.OnFault(e, _logger);

    /// <summary>Allocates a sentinel unless one is alive (or the source is disposed).</summary>
    /// <param name="coalesced">Whether the source was unarmed on purpose: the collections so far were not observed.</param>
    private void TryArm(bool coalesced)
    {
        if (Volatile.Read(ref _disposed) != 0 || Interlocked.CompareExchange(ref _armed, 1, 0) != 0)
        {
            return;
        }

        if (coalesced)
        {
            // Free and allocation-free; a collection's index is the collection count when it completed.
            Volatile.Write(ref _coalescedUpTo, GC.CollectionCount(0));
        }

        try
        {
            Volatile.Write(ref _armedTimestamp, Stopwatch.GetTimestamp());
            _ = new Sentinel(this);
        }
        catch
        {
            Volatile.Write(ref _armed, 0);
            throw;
        }
    }

    /// <summary>Runs on the finalizer thread after a collection: reads, then re-arms unless the wake came too soon.</summary>
    private void OnWake()
    {
        Interlocked.Increment(ref _wakeCount);
        Poll();
        // Measured from the arming, not from the previous wake: a wake that follows the sampling step's arming by
        // less than 1/N s means collections still come faster than N per second, so the step arms the next one too
        // (one wake per step above the rate; every collection below it).
        var rearm = _minWakeTicks == 0 || Stopwatch.GetTimestamp() - Volatile.Read(ref _armedTimestamp) >= _minWakeTicks;

        // The sentinel that woke us is dead: from here EnsureArmed may arm a new one, and only one of us succeeds.
        Volatile.Write(ref _armed, 0);
        if (rearm)
        {
            TryArm(coalesced: false);
        }
    }

    /// <summary>Unreachable from birth: each collection finalizes it, and its finalizer reads and re-arms.</summary>
    private sealed class Sentinel
    {
        private readonly GcMemoryInfoSource _owner;

        public Sentinel(GcMemoryInfoSource owner) => _owner = owner;

        ~Sentinel()
        {
            try
            {
                if (Volatile.Read(ref _owner._disposed) != 0)
                {
                    Volatile.Write(ref _owner._armed, 0);
                    return;
                }

                _owner.OnWake();
            }
#pragma warning disable CA1031 // The finalizer thread: nothing may escape (an OutOfMemoryException while re-arming included).
            catch (Exception e)
#pragma warning restore CA1031
            {
                _owner.OnFault(e);
            }
        }
    }
}
