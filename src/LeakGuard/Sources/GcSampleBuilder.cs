namespace LeakGuard.Sources;

/// <summary>
/// Assembles the runtime's per-GC events into one <see cref="GcSample"/> per collection. Pure: no clock,
/// no runtime — the listener feeds it decoded events, tests feed it synthetic ones. Single-threaded.
/// </summary>
/// <remarks>
/// <para>A blocking collection arrives as SuspendEEBegin → GCStart → GCEnd → GCHeapStats → RestartEEEnd and is
/// emitted at RestartEEEnd, when its pause is known. A background collection (type 1) spans several
/// suspensions, with ephemeral collections interleaved, and ends with GCEnd → GCHeapStats outside any
/// suspension: it is emitted at its GCHeapStats with the sum of the suspensions attributed to it. So at most
/// two collections are open at once, one per slot.</para>
/// <para>Incomplete collections: a collection whose GCHeapStats never arrived is <b>dropped</b> (counted in
/// <see cref="DroppedCount"/>) when the next collection of its kind starts — its heap sizes, the point of a
/// sample, are unknown. One that has its heap statistics but whose RestartEEEnd is missing is emitted when the
/// next suspension or collection starts, with the pause measured so far (zero if none). Events that belong to
/// no open collection (a listener attached mid-collection) are ignored. Nothing carries over into the next
/// collection's sample.</para>
/// </remarks>
internal sealed class GcSampleBuilder
{
    /// <summary>SuspendEE reasons that belong to a collection: SUSPEND_FOR_GC and SUSPEND_FOR_GC_PREP.</summary>
    private const int SuspendForGc = 1;
    private const int SuspendForGcPrep = 6;

    private readonly Action<GcSample> _emit;
    private OpenGc _blocking;
    private OpenGc _background;
    private long _suspendBeginTicks = -1;
    private int _lastEnded;

    /// <summary>Initializes a new instance of the <see cref="GcSampleBuilder"/> class.</summary>
    /// <param name="emit">Receives each completed sample.</param>
    public GcSampleBuilder(Action<GcSample> emit) => _emit = emit;

    /// <summary>Gets the number of collections dropped because their heap statistics never arrived.</summary>
    public long DroppedCount { get; private set; }

    /// <summary>Gets the number of samples emitted.</summary>
    public long EmittedCount { get; private set; }

    /// <summary>Handles GCSuspendEEBegin_V1.</summary>
    /// <param name="timestamp">The event time.</param>
    /// <param name="reason">The suspension reason.</param>
    public void OnSuspendBegin(DateTime timestamp, int reason)
    {
        FlushAwaitingRestart();
        _suspendBeginTicks = reason is SuspendForGc or SuspendForGcPrep ? timestamp.Ticks : -1;
    }

    /// <summary>Handles GCStart_V2.</summary>
    /// <param name="index">The collection index (Count).</param>
    /// <param name="generation">The condemned generation (Depth).</param>
    /// <param name="reason">The reason code.</param>
    /// <param name="type">The type: 0 non-concurrent, 1 background, 2 foreground.</param>
    public void OnStart(long index, int generation, int reason, int type)
    {
        FlushAwaitingRestart();
        ref var slot = ref type == 1 ? ref _background : ref _blocking;
        if (slot.Active)
        {
            Finish(ref slot);
        }

        slot = new OpenGc { Active = true, Index = index, Generation = generation, Reason = reason, Type = type };
    }

    /// <summary>Handles GCEnd_V1.</summary>
    /// <param name="timestamp">The event time.</param>
    /// <param name="index">The collection index (Count).</param>
    public void OnEnd(DateTime timestamp, long index)
    {
        _lastEnded = _blocking.Active && _blocking.Index == index ? 1
            : _background.Active && _background.Index == index ? 2
            : 0;
        if (_lastEnded != 0)
        {
            ref var slot = ref _lastEnded == 1 ? ref _blocking : ref _background;
            slot.EndTicks = timestamp.Ticks;
        }
    }

    /// <summary>Handles GCHeapStats_V2, which carries no index: it belongs to the collection that just ended.</summary>
    /// <param name="timestamp">The event time.</param>
    /// <param name="stats">The decoded statistics.</param>
    public void OnHeapStats(DateTime timestamp, in GcHeapStats stats)
    {
        var target = _lastEnded != 0 ? _lastEnded
            : _blocking.Active && !_blocking.HasStats ? 1
            : _background.Active && !_background.HasStats ? 2
            : 0;
        _lastEnded = 0;
        if (target == 0)
        {
            return;
        }

        ref var slot = ref target == 1 ? ref _blocking : ref _background;
        slot.HasStats = true;
        slot.Stats = stats;
        if (slot.EndTicks == 0)
        {
            slot.EndTicks = timestamp.Ticks;
        }

        if (slot.Type == 1)
        {
            Finish(ref slot);
        }
    }

    /// <summary>Handles GCRestartEEEnd_V1: ends the current suspension and emits the blocking collection.</summary>
    /// <param name="timestamp">The event time.</param>
    public void OnRestartEnd(DateTime timestamp)
    {
        var pause = _suspendBeginTicks >= 0 && timestamp.Ticks >= _suspendBeginTicks ? timestamp.Ticks - _suspendBeginTicks : 0;
        _suspendBeginTicks = -1;
        if (_blocking.Active)
        {
            _blocking.PauseTicks += pause;
            if (_blocking.HasStats)
            {
                Finish(ref _blocking);
            }
        }
        else if (_background.Active)
        {
            _background.PauseTicks += pause;
        }
    }

    /// <summary>A blocking collection with statistics whose RestartEEEnd was lost: emit it before the next one.</summary>
    private void FlushAwaitingRestart()
    {
        if (_blocking.Active && _blocking.HasStats)
        {
            Finish(ref _blocking);
        }
    }

    private void Finish(ref OpenGc gc)
    {
        var open = gc;
        gc = default;
        if (!open.HasStats)
        {
            DroppedCount++;
            return;
        }

        var stats = open.Stats;
        EmittedCount++;
        _emit(new GcSample
        {
            Timestamp = new DateTimeOffset(open.EndTicks, TimeSpan.Zero),
            Index = open.Index,
            Generation = open.Generation,
            Reason = open.Reason,
            Type = open.Type,
            PauseDuration = TimeSpan.FromTicks(open.PauseTicks),
            HeapSizeAfterBytes = stats.HeapSizeBytes,
            Gen0SizeBytes = stats.Gen0,
            Gen1SizeBytes = stats.Gen1,
            Gen2SizeBytes = stats.Gen2,
            LohSizeBytes = stats.Loh,
            PohSizeBytes = stats.Poh,
            PromotedBytes = stats.PromotedBytes,
            FinalizationPromotedCount = stats.FinalizationPromotedCount,
            PinnedObjectCount = stats.PinnedObjectCount,
            GcHandleCount = stats.GcHandleCount,
        });
    }

    private struct OpenGc
    {
        public bool Active;
        public bool HasStats;
        public long Index;
        public int Generation;
        public int Reason;
        public int Type;
        public long EndTicks;
        public long PauseTicks;
        public GcHeapStats Stats;
    }
}
