using LeakGuard.Buffering;

namespace LeakGuard.Detection;

/// <summary>
/// Judges one signal (stateful, one per signal). Each evaluation answers three questions on the floors of the watched
/// life (the last <see cref="DetectorSettings.Lookback"/> at most), by one model comparison
/// (<see cref="GrowthComparison"/>): is a steady rise from some onset clearly a better explanation than every bounded one
/// (evidence ≥ <see cref="DetectorSettings.LeakEvidence"/>: <see cref="LeakState.Suspected"/>); is it also old enough
/// that no warm-up, cache or daily cycle could still explain it (then <see cref="LeakState.Leaking"/>); and, when the
/// rise is the best explanation so far and stands out against a flat level (<see cref="DetectorSettings.UrgentRiseEvidence"/>),
/// does it reach the limit within <see cref="DetectorSettings.UrgencyHorizon"/> (then <see cref="LeakState.Leaking"/> too).
/// A state rises at once and falls only after a run of evaluations without a rise. Not thread-safe: call from the
/// pipeline's one evaluation loop.
/// </summary>
internal sealed class SignalDetector
{
    private const double Z95 = 1.959963984540054;

    /// <summary>How much a daily cycle at its cap rises from its trough to its peak, as a share of the trough.</summary>
    private const double CycleSwing = (2 * GrowthComparison.CycleAmplitudeShare) / (1 - GrowthComparison.CycleAmplitudeShare);

    /// <summary>
    /// How far ahead urgency projects a rise, in multiples of how long the rise has been seen (from its onset to the
    /// newest floor). A trend seen for ten minutes says little about the next six hours: noise that wanders, a cache
    /// filling or a warm-up all rise for a while and stop, and projecting a short rise far ahead pages on them. Four
    /// is the least that still lets a leak be called before a quarter of its time to exhaustion has passed (three
    /// would make a quarter the earliest possible).
    /// </summary>
    internal const double MaxExtrapolation = 4;

    private readonly DetectorSettings _settings;
    private readonly SignalProfile _profile;
    private readonly GrowthComparison _comparison = new();
    private readonly SignalPoint[] _buffer;
    private readonly int[] _readAt;
    private readonly List<FullCollection> _fullCollections = new(MaxFullCollections);
    private readonly double[] _t = new double[GrowthComparison.MaxPoints];
    private readonly double[] _y = new double[GrowthComparison.MaxPoints];
    private readonly double[] _raw = new double[GrowthComparison.MaxPoints];
    private readonly double[] _recentT = new double[GrowthComparison.MaxPoints];
    private readonly double[] _recentY = new double[GrowthComparison.MaxPoints];
    private readonly double[] _high = new double[GrowthComparison.MaxPoints];
    private readonly double[] _spans = new double[GrowthComparison.MaxPoints];
    private readonly double[] _partY;
    private readonly double[] _partT;
    private readonly long[] _floorFrom = new long[GrowthComparison.MaxPoints];
    private readonly long[] _floorTo = new long[GrowthComparison.MaxPoints];
    private readonly RecentLook[] _recentLooks;
    private bool _priorCycleApplied;
    private double _lifeSwing;
    private double? _recentLimit;
    private long _originTicks = long.MinValue;
    private long _firstFloorTicks = long.MinValue;
    private long _recentFirstTicks = long.MinValue;
    private bool _lifeFloorsCoarse;
    private bool _tooFewTroughs;
    private bool _decidedRecently;
    private long _lifeGrainTicks;
    private long _restartTicks = long.MinValue;
    private LeakState _state = LeakState.InsufficientData;
    private DateTimeOffset _since;
    private int _quietStreak;
    private Decision _decision;
    private GrowthAssessment _life;
    private (long Width, long First, long Last, long LifeStart, PriorCycle? Cycle) _lifeKey;
    private GrowthAssessment _assessment;
    private bool _unconfirmed;
    private int _skipped;
    private bool _rising;
    private YoungRise _young;

    /// <summary>The number of full collections a detector keeps (the oldest is the baseline of a rise older than all of them).</summary>
    public const int MaxFullCollections = 32;

    /// <summary>Initializes a new instance of the <see cref="SignalDetector"/> class.</summary>
    /// <param name="signal">The signal's name.</param>
    /// <param name="settings">The settings.</param>
    public SignalDetector(string signal, DetectorSettings settings)
        : this(signal, settings, (settings ?? throw new ArgumentNullException(nameof(settings))).ForSignal(signal))
    {
    }

    /// <summary>Initializes a new instance of the <see cref="SignalDetector"/> class with explicit thresholds.</summary>
    /// <param name="signal">The signal's name.</param>
    /// <param name="settings">The settings.</param>
    /// <param name="profile">The signal's thresholds.</param>
    public SignalDetector(string signal, DetectorSettings settings, SignalProfile profile)
    {
        ArgumentNullException.ThrowIfNull(signal);
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(profile);
        Signal = signal;
        _settings = settings;
        _profile = profile;
        _buffer = new SignalPoint[settings.BucketCapacity];
        _readAt = new int[settings.BucketCapacity];
        _partY = new double[settings.BucketCapacity];
        _partT = new double[settings.BucketCapacity];
        _recentLooks = new RecentLook[settings.BucketWidths.Count];
    }

    /// <summary>What decided the latest evaluation's target state.</summary>
    private enum Decision
    {
        /// <summary>Not judged (warming up or too little history).</summary>
        None,

        /// <summary>A bounded explanation is as good or better.</summary>
        Bounded,

        /// <summary>A rise is better than every bounded explanation, but not clearly.</summary>
        Rising,

        /// <summary>A rise is clearly better than every bounded explanation.</summary>
        Unbounded,

        /// <summary>A rise that reaches the limit within the urgency horizon.</summary>
        Urgent,
    }

    /// <summary>Gets the signal's name.</summary>
    public string Signal { get; }

    /// <summary>Gets the current state (after hysteresis).</summary>
    public LeakState State => _state;

    /// <summary>Gets the latest assessment (diagnostics: the evaluation's timeline prints it).</summary>
    public GrowthAssessment LatestAssessment => _assessment;

    /// <summary>
    /// Restarts the warm-up after LeakGuard itself disturbed the signal (a heap snapshot's session buffers raise the
    /// process's resident memory by tens of MB, and part of it stays resident): floors before
    /// <paramref name="disturbedUntil"/> + <see cref="DetectorSettings.WarmUp"/> are not judged, as at start-up.
    /// A <see cref="LeakState.Leaking"/> or <see cref="LeakState.Stable"/> state is held meanwhile.
    /// </summary>
    /// <param name="disturbedUntil">The latest time the disturbance was seen.</param>
    public void Restart(DateTimeOffset disturbedUntil)
    {
        if (disturbedUntil.UtcTicks > _restartTicks)
        {
            _restartTicks = disturbedUntil.UtcTicks;
        }
    }

    /// <summary>
    /// Gets or sets the daily cycle earlier lifetimes of the service showed (<see cref="PriorCycle.Fit"/>; set once after a
    /// restart): until <see cref="PriorCycle.ValidUntilTicks"/> it is subtracted from the floors before the models compare
    /// them, so the first day of a restarted instance is judged with the days before it.
    /// </summary>
    public PriorCycle? PriorCycle { get; set; }

    /// <summary>
    /// Gets or sets how much sooner than the signal's own value the limit may end the process (bytes, ≥ 0; 0 by default):
    /// the GC's heap hard limit caps what the GC commits, which runs ahead of the heap's size. The earliest end of the
    /// time-to-limit range counts it; the projection and the urgency do not.
    /// </summary>
    public double LimitSlack { get; set; }

    /// <summary>
    /// Gets or sets whether a part of this signal rises, for a signal that is a sum (process memory = the GC's heap + native
    /// memory); <see langword="null"/> (the default) when the parts are not known. When no part rises, a rise of the sum
    /// is memory the GC has not handed back yet (a sawtooth's garbage), so urgency waits for the history to decide.
    /// </summary>
    public bool? PartsRising { get; set; }

    /// <summary>
    /// Gets or sets whether the GC inflates this signal between full collections (the managed heap, generation 2, the
    /// large-object heap: garbage promoted since the last full collection is counted until the next one finds it). Such a
    /// signal raises an alarm, and is urgent, only once full collections confirm the rise (<see cref="LastFullCollection"/>):
    /// a GC sawtooth's rising tooth is a steady rise until the collection ends it.
    /// </summary>
    public bool InflatedBetweenFullCollections { get; set; }

    /// <summary>
    /// Gets or sets the signal's live value after the GC's latest full collection; <see langword="null"/> before the first.
    /// Each new one (a later <see cref="FullCollection.SeenAt"/>) is kept, the latest <see cref="MaxFullCollections"/>.
    /// </summary>
    public FullCollection? LastFullCollection
    {
        get => _fullCollections.Count > 0 ? _fullCollections[^1] : null;
        set
        {
            if (value is not { } c || (_fullCollections.Count > 0 && c.SeenAt <= _fullCollections[^1].SeenAt))
            {
                return;
            }

            if (_fullCollections.Count == MaxFullCollections)
            {
                _fullCollections.RemoveAt(0);
            }

            _fullCollections.Add(c);
        }
    }

    /// <summary>
    /// Gets a value indicating whether the last evaluation found a rise that would raise an alarm or be urgent but that no
    /// full collection has confirmed yet (the caller may ask the runtime for one rather than wait for the GC's own).
    /// </summary>
    public bool AwaitsFullCollection { get; private set; }

    /// <summary>
    /// Gets a value indicating whether the last evaluation found a material rise that is live: for a signal the GC inflates
    /// between full collections, one that full collections confirm; for any other, any material rise.
    /// </summary>
    public bool RisesLive { get; private set; }

    /// <summary>Evaluates the signal's history; call when the finest bucket closes.</summary>
    /// <param name="now">The evaluation time.</param>
    /// <param name="history">The signal's downsampled history (built with <see cref="DetectorSettings.BucketWidths"/>).</param>
    /// <param name="limit">The limit the signal grows towards (the memory limit for memory signals), or <see langword="null"/>.</param>
    /// <returns>The verdict after hysteresis.</returns>
    public LeakVerdict Evaluate(DateTimeOffset now, MultiResolutionSeries history, double? limit)
    {
        ArgumentNullException.ThrowIfNull(history);
        if (_originTicks == long.MinValue && history.LevelCount > 0 && history[0].CopyClosed(_buffer.AsSpan(0, _buffer.Length)) > 0)
        {
            // The oldest closed bucket the finest ring still holds is the first one while the ring has not wrapped.
            _originTicks = _buffer[0].Timestamp.UtcTicks;
        }

        _life = Assess(now, history);
        _assessment = _life;
        // The signal dies when its highs reach the limit, but its floors are what is judged: the floors' limit is the limit
        // less the signal's swing above its floor.
        var lifeLimit = FloorLimit(limit, _lifeSwing);
        _decision = Decide(_life, lifeLimit);
        _decidedRecently = false;
        if (_decision is Decision.Rising or Decision.Bounded && UrgentRecently(history, limit) is { Judged: true } recent)
        {
            // The newest stretch, at the finest grain, reaches the limit within the horizon: it decides, and the verdict shows it.
            (_assessment, _decision, _decidedRecently, _rising, RisesLive) = (recent, Decision.Urgent, true, true, true);
        }

        var next = Next(now);
        if (next != _state || _since == default)
        {
            _state = next;
            _since = now;
        }

        return BuildVerdict(now, _decidedRecently ? _recentLimit : lifeLimit);
    }

    private long LifeStartTicks()
    {
        if (_originTicks == long.MinValue)
        {
            return long.MaxValue;
        }

        var start = Math.Max(_originTicks, _restartTicks);
        return start > long.MaxValue - _settings.WarmUp.Ticks ? long.MaxValue : start + _settings.WarmUp.Ticks;
    }

    private bool IsSettling(DateTimeOffset now) => _restartTicks != long.MinValue && now.UtcTicks < LifeStartTicks();

    /// <summary>Collects the watched life's floors (thinned to at most <see cref="GrowthComparison.MaxPoints"/>) and compares the models.</summary>
    private GrowthAssessment Assess(DateTimeOffset now, MultiResolutionSeries history)
    {
        _tooFewTroughs = false;
        var lifeStart = LifeStartTicks();
        if (lifeStart == long.MaxValue || now.UtcTicks - lifeStart < _settings.Window.Ticks)
        {
            return default;
        }

        var from = Math.Max(lifeStart, now.UtcTicks - _settings.Lookback.Ticks);

        // The finest resolution that still holds the whole lookback (the coarsest when none does).
        var count = 0;
        var first = 0;
        var width = 0L;
        for (var level = 0; level < history.LevelCount; level++)
        {
            var ring = history[level];
            width = ring.Width.Ticks;
            count = ring.CopyClosed(_buffer);
            first = 0;
            while (first < count && _buffer[first].Timestamp.UtcTicks < from)
            {
                first++;
            }

            var covers = first > 0 || count < ring.Capacity;
            if (covers)
            {
                break;
            }
        }

        var m = count - first;
        if (m < GrowthComparison.MinPoints)
        {
            return default;
        }

        // Group consecutive buckets into at most MaxPoints floors: the newest half of the floors covers the newest eighth of
        // the life at a finer grain (groups of `fine` buckets, each floor the group's minimum, where it was read), so a fresh
        // rise in a long life spans enough floors to be judged, while the older half keeps the whole life's shape (groups of
        // `coarse` buckets). Every floor is the same statistic, a minimum of `fine` buckets: an older floor is the median of
        // its group's `fine`-bucket minima (at the median's place). Its group's minimum was the lowest of `coarse` / `fine`
        // such minima, lower under noise the more it took, so the older floors sat below the newer ones and every long life
        // rose by that step where the grain changed (at σ 3 %, about one σ) — a rise in flat noise.
        var half = GrowthComparison.MaxPoints / 2;
        var fine = m <= GrowthComparison.MaxPoints ? 1 : Math.Max(1, (m + (8 * half) - 1) / (8 * half));
        var recent = Math.Min(m, half * fine);
        var coarse = m - recent <= 0 ? 1 : Math.Max(1, (m - recent + half - 1) / half);
        if (m <= GrowthComparison.MaxPoints)
        {
            (fine, recent, coarse) = (1, m, 1);
        }

        // Floors read from the same buckets as the last assessment's, with the same earlier lifetimes' cycle taken out, are the
        // same floors: nothing to re-assess (a long life's floors come from a coarse level that closes a bucket once every few
        // hundred evaluations).
        var cycle = PriorCycle is { } c && now.UtcTicks <= c.ValidUntilTicks ? c : null;
        var key = (width, _buffer[first].Timestamp.UtcTicks, _buffer[count - 1].Timestamp.UtcTicks, lifeStart, cycle);
        if (_life.Judged && key == _lifeKey)
        {
            return _life;
        }

        // A long life is re-assessed once per fine group: its floors barely move in between, and the cost stays flat.
        if (_life.Judged && ++_skipped < fine)
        {
            return _life;
        }

        _lifeKey = key;

        _skipped = 0;
        _lifeFloorsCoarse = width > history[0].Width.Ticks || fine > 1 || coarse > 1;
        _lifeGrainTicks = fine * width;

        // A sawtooth's floor is at its troughs: every bucket spans the longest tooth the signal shows (Teeth), read from every
        // bucket the ring holds at this grain, warm-up included — teeth are the signal's shape, not its level, and a life
        // shorter than a few teeth shows none of its own.
        var tooth = Teeth.Longest(_buffer.AsSpan(0, count));
        Teeth.Span(_buffer.AsSpan(first, m), _readAt.AsSpan(0, m), tooth);
        var n = 0;
        var origin = _buffer[first].Timestamp.UtcTicks;
        _firstFloorTicks = long.MinValue;
        var boundary = count - recent;
        for (var i = first; i < count;)
        {
            var size = i < boundary ? coarse : fine;
            var end = Math.Min(i < boundary ? boundary : count, i + size);
            // The floor stands where its minimum was read (the bucket it came from), not at the group's middle: in a steady
            // rise a group's minimum is its first bucket's, so at the middle each floor sat below the line by half its
            // group's width times the rate, and where the floors change from coarse to fine groups that bias changed too —
            // a kink the models read as misfit. A coarse group's median minimum stands where that minimum was read.
            var high = double.NegativeInfinity;
            var parts = 0;
            for (var s = i; s < end; s += fine)
            {
                var floorPart = double.PositiveInfinity;
                var at = s;
                for (var j = s; j < Math.Min(end, s + fine); j++)
                {
                    high = Math.Max(high, _buffer[j].Max);
                    if (_buffer[j].Min < floorPart)
                    {
                        (floorPart, at) = (_buffer[j].Min, first + _readAt[j - first]);
                    }
                }

                _partY[parts] = floorPart;
                _partT[parts] = (_buffer[at].Timestamp.UtcTicks - origin) / (double)TimeSpan.TicksPerSecond;
                parts++;
            }

            Array.Sort(_partY, _partT, 0, parts);
            var floor = parts % 2 == 1 ? _partY[parts / 2] : (_partY[(parts / 2) - 1] + _partY[parts / 2]) / 2;
            var t = parts % 2 == 1 ? _partT[parts / 2] : (_partT[(parts / 2) - 1] + _partT[parts / 2]) / 2;
            if (n > 0 && t == _t[n - 1])
            {
                // The same trough as the previous floor's (a floor spanning a tooth): it counts once, over both spans.
                _high[n - 1] = Math.Max(_high[n - 1], high);
                _floorTo[n - 1] = _buffer[end - 1].Timestamp.UtcTicks + width;
                i = end;
                continue;
            }

            _high[n] = high;
            _t[n] = t;
            if (n == 0)
            {
                _firstFloorTicks = origin + (long)(_t[0] * TimeSpan.TicksPerSecond);
            }

            _y[n] = floor;
            _floorFrom[n] = _buffer[Math.Max(first, i - tooth + 1)].Timestamp.UtcTicks;
            _floorTo[n] = _buffer[end - 1].Timestamp.UtcTicks + width;
            n++;
            i = end;
        }

        _tooFewTroughs = tooth > 1 && n < GrowthComparison.MinPoints;

        // After a restart, the daily cycle earlier lifetimes showed is taken out of the floors (the models judge what is left);
        // the raw floors are put back for the projection to the limit, which needs the real values.
        _priorCycleApplied = cycle is not null;
        var quantum = _profile.Quantum(MidRange(n));
        if (cycle is not null)
        {
            for (var i = 0; i < n; i++)
            {
                _raw[i] = _y[i];
                // A floor is read low in its span (a newer one its span's lowest reading, an older one its median minimum), so
                // the part of it the cycle holds is taken as the cycle's lowest over the span (docs/detection.md, "After a
                // restart", measured the bucket the reading came from instead: no better).
                _y[i] -= cycle.MinOver(_floorFrom[i], _floorTo[i]);
            }
        }

        var assessment = _comparison.Assess(_t.AsSpan(0, n), _y.AsSpan(0, n), quantum, LongestWarmUpSeconds, _settings.UrgentRiseEvidence);
        if (_priorCycleApplied)
        {
            _raw.AsSpan(0, n).CopyTo(_y);
            assessment = assessment with { Last = _y[n - 1] };
        }

        for (var i = 0; i < n; i++)
        {
            _spans[i] = (_floorTo[i] - _floorFrom[i]) / (double)TimeSpan.TicksPerSecond;
        }

        _lifeSwing = Swing(_high.AsSpan(0, n), _y.AsSpan(0, n), _spans.AsSpan(0, n), assessment.Slope);
        return assessment;
    }

    private double MidRange(int n)
    {
        var lo = double.PositiveInfinity;
        var hi = double.NegativeInfinity;
        for (var i = 0; i < n; i++)
        {
            lo = Math.Min(lo, _y[i]);
            hi = Math.Max(hi, _y[i]);
        }

        return (lo + hi) / 2;
    }

    /// <summary>The share of the room left before the limit that a rise must take to matter (see <see cref="MinGrowth"/>).</summary>
    internal const double HeadroomShare = 0.25;

    private Decision Decide(in GrowthAssessment a, double? limit)
    {
        _rising = false;
        _young = YoungRise.None;
        _unconfirmed = false;
        AwaitsFullCollection = false;
        RisesLive = false;
        if (!a.Judged)
        {
            return Decision.None;
        }

        // A rise counts only when it is material (MinGrowth: the configured minimum, or near a limit a quarter of the room left)
        // and its rate's interval excludes zero.
        var material = IsMaterial(a, MinGrowth(a, limit));
        _rising = material;
        RisesLive = material && ConfirmedByFullCollection(a, _firstFloorTicks, limit);
        if (!material)
        {
            return Decision.Bounded;
        }

        // A signal the GC inflates between full collections raises no alarm on a rise no full collection has confirmed:
        // until the next one finds it dead, the garbage promoted since the last one reads as a steady rise (a GC tooth as
        // long as the GC leaves between full collections). A rise that would raise one says so (_unconfirmed), and any rise
        // that beats every bounded shape by urgency's evidence asks for a full collection rather than wait for the GC's own
        // (at most one a window): cheaper than the heap snapshots an alarm starts, which run one anyway, and ready before
        // the rise is clear enough for an alarm. Once raised,
        // the alarm is judged as any other's (escalated by the history, by urgency only when confirmed) and held while the
        // floor rises materially (_rising, see Next), confirmed or not: a rise's onset moves as the history grows, and a
        // growing leak must not drop each time the latest full collection falls behind it.
        if (!RisesLive && _state < LeakState.Suspected)
        {
            _unconfirmed = a.Evidence >= _settings.LeakEvidence || ReachesLimitSoon(a, limit);
            AwaitsFullCollection = _unconfirmed || a.Evidence >= _settings.UrgentRiseEvidence;
            return Decision.Bounded;
        }

        // Is it unbounded? A rise younger than the longest warm-up that has not yet grown more than a warm-up may could still
        // be one (or a cache filling) that has not levelled off yet, and a rise that began before a whole day had been watched
        // could still be a daily cycle's rising half: the history cannot rule that out until the rise has lasted longer or
        // grown more than that shape can, however straight it is so far.
        if (a.Evidence >= _settings.LeakEvidence)
        {
            _young = Young(a);
            if (_young == YoungRise.None)
            {
                return Decision.Unbounded;
            }
        }

        // Does it matter soon? When a steady rise stands out against a flat level and is the best explanation of the history
        // (even if not yet clearly), and at the upper end of its rate's interval it reaches the limit within the urgency
        // horizon, it does not wait for a longer history to rule out the bounded explanations clearly.
        // It projects the rise at most MaxExtrapolation times as long as the rise has been seen.
        if (ReachesLimitSoon(a, limit))
        {
            if (RisesLive)
            {
                return Decision.Urgent;
            }

            AwaitsFullCollection = true;
        }

        return a.Evidence >= _settings.LeakEvidence ? Decision.Rising : Decision.Bounded;
    }

    /// <summary>
    /// Whether a rise reaches the limit soon: it stands out against a flat level and is the best explanation of the history
    /// (even if not yet clearly), and at the upper end of its rate's interval it reaches the limit within the urgency
    /// horizon and within <see cref="MaxExtrapolation"/> times as long as it has been seen.
    /// </summary>
    private bool ReachesLimitSoon(in GrowthAssessment a, double? limit) =>
        a.Evidence > 0 && a.RiseEvidence >= _settings.UrgentRiseEvidence && PartsRising != false && _settings.UrgencyHorizon > TimeSpan.Zero
        && TimeTo(limit, a.Last, a.Slope + (Z95 * a.SlopeError)) is { } e && e <= _settings.UrgencyHorizon
        && e.TotalSeconds <= MaxExtrapolation * (a.SpanSeconds - a.OnsetSeconds);

    /// <summary>
    /// The recent look: asks "does it matter soon?" once more, of the newest <see cref="GrowthComparison.MaxPoints"/> buckets
    /// of the finest resolution when the whole life's floors are coarser than that, and then of each coarser resolution
    /// still finer than the life's newest floors, finest first; the first urgent one decides. A long life's floors are
    /// coarse (40-min buckets at three days with the default window), so a leak that exhausts memory within hours spans a
    /// handful of them by the time it is called; at the finest grain it spans dozens, but the newest 64 finest buckets cover
    /// only the last few minutes of a leak due in hours, and a grain in between sees more of it. Only urgency is asked
    /// (whether the rise is unbounded is the whole life's question), and only of a rise on new ground: the floor of its
    /// newest <see cref="RecentHeldBuckets"/> buckets stands above every floor before its onset — the whole life's and the
    /// ones at its own grain the ring still holds — by the minimum growth. A finer floor is the minimum of fewer readings,
    /// so it wanders higher than a coarse one, and a GC tooth, a spike that outlasts a bucket or noise that wanders all rise
    /// for a while at that grain; none of them rises above what the signal has already shown.
    /// </summary>
    /// <returns>The recent stretch's assessment when it is urgent; otherwise <see langword="default"/>.</returns>
    private GrowthAssessment UrgentRecently(MultiResolutionSeries history, double? limit)
    {
        if (!_lifeFloorsCoarse || _priorCycleApplied || limit is null || _settings.UrgencyHorizon <= TimeSpan.Zero || !_life.Judged)
        {
            // Not asked now: every grain's look starts afresh when it is asked again.
            for (var level = 0; level < _recentLooks.Length; level++)
            {
                _recentLooks[level].Checked = false;
                NotOnNewGround(ref _recentLooks[level]);
            }

            return default;
        }

        var levels = Math.Min(history.LevelCount, _recentLooks.Length);
        for (var level = 0; level < levels; level++)
        {
            // The finest grain whenever the life's floors are coarser than it (a long life's older half is); a coarser one only
            // while it is still finer than the life's newest floors.
            if (level > 0 && history[level].Width.Ticks >= _lifeGrainTicks)
            {
                break;
            }

            var a = UrgentRecentlyAt(level, history, limit);
            if (a.Judged)
            {
                (_recentFirstTicks, _recentLimit) = (_recentLooks[level].FirstTicks, _recentLooks[level].Limit);
                return a;
            }
        }

        return default;
    }

    /// <summary>The recent look at one resolution of <paramref name="history"/> (see <see cref="UrgentRecently"/>).</summary>
    private GrowthAssessment UrgentRecentlyAt(int level, MultiResolutionSeries history, double? limit)
    {
        ref var look = ref _recentLooks[level];
        // A coarser ring changes only when one of its buckets closes: until then its last look holds, whatever it found.
        if (level > 0)
        {
            var newest = history[level].CopyClosed(_buffer.AsSpan(0, 1)) == 1 ? _buffer[0].Timestamp.UtcTicks : long.MinValue;
            if (look.Checked && newest == look.CheckedTicks)
            {
                return look.Result;
            }

            (look.Checked, look.CheckedTicks) = (true, newest);
        }

        var lifeStart = LifeStartTicks();
        var width = history[level].Width.Ticks;
        var count = history[level].CopyClosed(_buffer);
        var first = Math.Max(0, count - GrowthComparison.MaxPoints);
        while (first < count && _buffer[first].Timestamp.UtcTicks < lifeStart)
        {
            first++;
        }

        var n = count - first;
        if (n < GrowthComparison.MinPoints)
        {
            return NotOnNewGround(ref look);
        }

        // The buckets span the longest tooth too (Teeth), read from every bucket the ring at this grain holds: a tooth longer
        // than the newest stretch's buckets still shows in the whole ring.
        var lifeFirst = 0;
        while (lifeFirst < first && _buffer[lifeFirst].Timestamp.UtcTicks < lifeStart)
        {
            lifeFirst++;
        }

        var tooth = Teeth.Longest(_buffer.AsSpan(0, count));
        Teeth.Span(_buffer.AsSpan(lifeFirst, count - lifeFirst), _readAt.AsSpan(0, count - lifeFirst), tooth);

        // On new ground at all? (Cheap, and necessary for what follows: the floors before the rise's onset include every floor
        // before the stretch.) A signal that is not is not assessed: the recent look costs nothing while nothing rises.
        var held = HeldFloor(count - 1);

        if (!(held > HighestBefore(_buffer[first].Timestamp.UtcTicks, count, width, lifeStart)))
        {
            return NotOnNewGround(ref look);
        }

        // Re-assessed every RecentEvery buckets at its grain, as a long life is once per fine group; in between the last result
        // holds.
        if (++look.Skipped < RecentEvery && look.Assessed)
        {
            return look.Result;
        }

        (look.Skipped, look.Assessed) = (0, true);
        var recentFirstTicks = look.FirstTicks = _buffer[lifeFirst + _readAt[first - lifeFirst]].Timestamp.UtcTicks;
        var lo = double.PositiveInfinity;
        var hi = double.NegativeInfinity;
        var floors = 0;
        for (var i = first; i < count; i++)
        {
            // Standing where its minimum was read, as the life's floors do; a trough shared with the previous floor counts once.
            var t = (_buffer[lifeFirst + _readAt[i - lifeFirst]].Timestamp.UtcTicks - recentFirstTicks) / (double)TimeSpan.TicksPerSecond;
            var span = Math.Min(tooth, i - lifeFirst + 1) * width / (double)TimeSpan.TicksPerSecond;
            if (floors > 0 && t == _recentT[floors - 1])
            {
                _high[floors - 1] = Math.Max(_high[floors - 1], _buffer[i].Max);
                _spans[floors - 1] += width / (double)TimeSpan.TicksPerSecond;
                continue;
            }

            (_recentT[floors], _recentY[floors], _high[floors], _spans[floors]) = (t, _buffer[i].Min, _buffer[i].Max, span);
            lo = Math.Min(lo, _recentY[floors]);
            hi = Math.Max(hi, _recentY[floors]);
            floors++;
        }

        n = floors;
        var a = _comparison.Assess(_recentT.AsSpan(0, n), _recentY.AsSpan(0, n), _profile.Quantum((lo + hi) / 2), LongestWarmUpSeconds, _settings.UrgentRiseEvidence);

        // The newest stretch's own swing above its floors, at its own grain (as the life's is at the life's).
        look.Limit = limit = FloorLimit(limit, Swing(_high.AsSpan(0, n), _recentY.AsSpan(0, n), _spans.AsSpan(0, n), a.Slope));
        var minGrowth = MinGrowth(a, limit);
        if (!a.Judged || !IsMaterial(a, minGrowth) || !ReachesLimitSoon(a, limit))
        {
            return look.Result = default;
        }

        // New ground: the newest buckets' floor against every floor before the rise's onset.
        var onsetTicks = recentFirstTicks + (long)(a.OnsetSeconds * TimeSpan.TicksPerSecond);
        if (!(held - HighestBefore(onsetTicks, count, width, lifeStart) >= minGrowth))
        {
            return look.Result = default;
        }

        if (!ConfirmedByFullCollection(a, recentFirstTicks, limit))
        {
            AwaitsFullCollection = true;
            return look.Result = default;
        }

        return look.Result = a;
    }

    /// <summary>How many of the newest floors the signal's swing above its floor is the median of (see <see cref="Swing"/>).</summary>
    internal const int SwingFloors = 16;

    /// <summary>
    /// The signal's typical swing above its floor: the median, over the newest <see cref="SwingFloors"/> floors, of the
    /// highest reading in each floor's span above the floor, less what a rise of <paramref name="slope"/> adds across the
    /// span. GC sawtooth, noise and load swing a signal above its floor; the process dies when its highs reach the limit.
    /// </summary>
    private static double Swing(ReadOnlySpan<double> high, ReadOnlySpan<double> floor, ReadOnlySpan<double> span, double slope)
    {
        var k = Math.Min(SwingFloors, floor.Length);
        if (k == 0)
        {
            return 0;
        }

        var rate = slope > 0 && double.IsFinite(slope) ? slope : 0;
        Span<double> swings = stackalloc double[SwingFloors];
        for (var i = 0; i < k; i++)
        {
            var j = floor.Length - k + i;
            var swing = high[j] - floor[j] - (rate * span[j]);
            swings[i] = double.IsFinite(swing) && swing > 0 ? swing : 0;
        }

        return GrowthComparison.MedianInPlace(swings[..k]);
    }

    /// <summary>The limit as the floors reach it: the limit less the signal's swing above its floor.</summary>
    private static double? FloorLimit(double? limit, double swing) => limit is { } l && double.IsFinite(swing) ? l - swing : limit;

    /// <summary>How many of the newest buckets at its grain must all stand on new ground for the recent look (a spike that outlasts one bucket does not).</summary>
    internal const int RecentHeldBuckets = 3;

    private static GrowthAssessment NotOnNewGround(ref RecentLook look)
    {
        (look.Result, look.Assessed) = (default, false);
        return default;
    }

    /// <summary>How often the recent look re-assesses a signal on new ground, in buckets at its grain (a coarser grain is looked at only when one of its buckets closes; the last result holds in between).</summary>
    internal const int RecentEvery = 4;

    /// <summary>
    /// The highest floor held before <paramref name="ticks"/>: the whole life's floors that ended by then, and the highest
    /// minimum of <see cref="RecentHeldBuckets"/> consecutive buckets at the recent look's grain (in <see cref="_buffer"/>,
    /// <paramref name="count"/> of them, each <paramref name="width"/> long) that ended by then after the life began. New ground is judged alike on both sides: the newest stretch must
    /// hold it for that many buckets, and so must the ground it rises above — a spike that filled one bucket is no ground.
    /// (A life's floor, when the life's floors are coarser than that grain, spans at least four of its buckets.)
    /// </summary>
    private double HighestBefore(long ticks, int count, long width, long lifeStart)
    {
        var highest = double.NegativeInfinity;
        for (var i = 0; i < _life.Points; i++)
        {
            if (_floorTo[i] <= ticks)
            {
                highest = Math.Max(highest, _y[i]);
            }
        }

        var run = 0;
        for (var i = 0; i < count && _buffer[i].Timestamp.UtcTicks + width <= ticks; i++)
        {
            if (_buffer[i].Timestamp.UtcTicks < lifeStart)
            {
                continue;
            }

            if (++run < RecentHeldBuckets)
            {
                continue;
            }

            highest = Math.Max(highest, HeldFloor(i));
        }

        return highest;
    }

    /// <summary>
    /// The floor held by the <see cref="RecentHeldBuckets"/> buckets in <see cref="_buffer"/> that end with index
    /// <paramref name="last"/>: the lowest of their minima. New ground is this on both sides (<see cref="HighestBefore"/>).
    /// </summary>
    private double HeldFloor(int last)
    {
        var held = _buffer[last].Min;
        for (var j = last - RecentHeldBuckets + 1; j < last; j++)
        {
            held = Math.Min(held, _buffer[j].Min);
        }

        return held;
    }

    /// <summary>Whether a rise counts: it has grown by at least <paramref name="minGrowth"/> and its rate's 95 % interval excludes zero.</summary>
    private static bool IsMaterial(in GrowthAssessment a, double minGrowth) => a.Growth >= minGrowth && a.Slope - (Z95 * a.SlopeError) > 0;

    /// <summary>
    /// The growth a rise must show to matter: the configured minimum (<see cref="SignalProfile.MinGrowth"/>), or, when a
    /// limit is known, <see cref="HeadroomShare"/> of the room there was between the rise's start and the limit, whichever
    /// is smaller. A process close to its limit dies of a rise far below the minimum (a 170 MiB process 7 MiB under its
    /// limit, rising 3 %/h, is gone in 1.4 h); what such a rise has already taken of the room left is what says it matters.
    /// </summary>
    private double MinGrowth(in GrowthAssessment a, double? limit)
    {
        var minimum = _profile.MinGrowth(a.Level);
        var room = limit is { } l ? l - (a.Last - a.Growth) : double.NaN;
        return room > 0 ? Math.Min(minimum, HeadroomShare * room) : minimum;
    }

    /// <summary>The longest warm-up time constant the models allow, in seconds (<see cref="GrowthComparison.LongestWarmUpWindows"/> windows).</summary>
    private double LongestWarmUpSeconds => GrowthComparison.LongestWarmUpWindows * _settings.Window.TotalSeconds;

    /// <summary>
    /// Whether a rise is past what an unfinished warm-up or cache fill could be: seen for longer than the longest warm-up
    /// (<see cref="GrowthComparison.LongestWarmUpWindows"/> windows) or grown by more than a warm-up may rise
    /// (<see cref="GrowthComparison.SaturationAmplitudeShare"/> of the level the rise started from).
    /// </summary>
    private bool OutlastsWarmUp(in GrowthAssessment a) =>
        a.SpanSeconds - a.OnsetSeconds >= LongestWarmUpSeconds
        || a.Growth > GrowthComparison.SaturationAmplitudeShare * Math.Abs(a.Last - a.Growth);

    /// <summary>
    /// Whether a rise is past what a daily cycle's rising half could be: it began a day or more after the first floor
    /// judged (that day showed no such rise, so a cycle would have to repeat it), or it has been seen for longer than half a
    /// day, or it has grown by more than a cycle may swing from its trough to its peak (the cycle model's cap of
    /// <see cref="GrowthComparison.CycleAmplitudeShare"/> of its mean: (1 + c) / (1 − c) − 1 of the trough, 86 %). With the
    /// daily cycle of earlier lifetimes taken out of the floors (after a restart), no cycle is left to rise.
    /// </summary>
    private bool OutlastsCycleRise(in GrowthAssessment a) =>
        _priorCycleApplied
        || a.OnsetSeconds >= GrowthComparison.Day
        || a.SpanSeconds - a.OnsetSeconds >= GrowthComparison.Day / 2
        || a.Growth > CycleSwing * Math.Abs(a.Last - a.Growth);

    /// <summary>Which bounded shape a rise the history otherwise calls unbounded could still be (<see cref="YoungRise.None"/>: none).</summary>
    private YoungRise Young(in GrowthAssessment a) =>
        !OutlastsWarmUp(a) ? YoungRise.WarmUp : !OutlastsCycleRise(a) ? YoungRise.DailyCycle : YoungRise.None;

    /// <summary>
    /// For a signal the GC inflates between full collections: whether the live value the latest full collection found, seen
    /// after the rise's onset, exceeds the one found by the last full collection at or before the onset (or, when none is
    /// that old, the oldest kept) by the minimum growth (<see cref="MinGrowth"/>: near a limit, a quarter of the room left) and by half what the rise predicts between them — the rise survived
    /// the GC, so it is live. Live values are compared
    /// with live values: a heap's size between full collections also counts garbage and fragmentation.
    /// </summary>
    private bool ConfirmedByFullCollection(in GrowthAssessment a, long firstFloorTicks, double? limit)
    {
        if (!InflatedBetweenFullCollections)
        {
            return true;
        }

        if (_fullCollections.Count < 2 || firstFloorTicks == long.MinValue)
        {
            return false;
        }

        var onsetTicks = firstFloorTicks + (long)(a.OnsetSeconds * TimeSpan.TicksPerSecond);
        var latest = _fullCollections[^1];
        var baseline = _fullCollections[0];
        foreach (var c in _fullCollections)
        {
            if (c.SeenAt.UtcTicks <= onsetTicks)
            {
                baseline = c;
            }
        }

        // The live growth must be the rise's own: at least half what the rise's rate predicts between the two collections
        // (and the minimum growth). Live bytes jitter by what happens to be alive at each collection — an 8 MiB array
        // more or less in the leak zoo's LOH sawtooth confirmed a 7.7 MB/s "rise" of its heap against the minimum alone.
        // The rise predicts growth from its onset only: a baseline collection long before it (an idle process may run no
        // full collection for minutes) is the level the rise started from, not a stretch of the rise.
        var predicted = a.Slope * (latest.SeenAt.UtcTicks - Math.Max(baseline.SeenAt.UtcTicks, onsetTicks)) / TimeSpan.TicksPerSecond;
        return latest.SeenAt.UtcTicks > onsetTicks && latest.SeenAt > baseline.SeenAt
            && latest.Value - baseline.Value >= Math.Max(MinGrowth(a, limit), predicted / 2);
    }

    private LeakState Next(DateTimeOffset now)
    {
        if (IsSettling(now) && _state is LeakState.Leaking or LeakState.Stable)
        {
            // Re-settling after LeakGuard's own disturbance: nothing to judge yet, and an alarm is not released for it.
            return _state;
        }

        var target = _decision switch
        {
            Decision.Unbounded or Decision.Urgent => LeakState.Leaking,
            Decision.Rising => LeakState.Suspected,
            Decision.Bounded => LeakState.Stable,
            _ => LeakState.InsufficientData,
        };

        // An alarm stays while the floor still rises materially, even when a young history (after a restart of the warm-up)
        // cannot yet prove the rise unbounded: a growing leak never returns to Stable.
        _quietStreak = target >= LeakState.Suspected || (_rising && _state >= LeakState.Suspected) ? 0 : _quietStreak + 1;
        switch (_state)
        {
            case LeakState.Leaking:
                // Held while the rise persists (suspected or better); released after a window without one.
                if (_quietStreak >= _settings.ReleaseEvaluations)
                {
                    _quietStreak = 0;
                    return LeakState.Suspected;
                }

                return LeakState.Leaking;
            case LeakState.Suspected:
                if (target == LeakState.Leaking)
                {
                    return LeakState.Leaking;
                }

                return _quietStreak >= _settings.DismissEvaluations ? LeakState.Stable : LeakState.Suspected;
            default:
                if (target >= LeakState.Suspected)
                {
                    return target;
                }

                return target == LeakState.InsufficientData && _state == LeakState.InsufficientData ? LeakState.InsufficientData
                    : target == LeakState.InsufficientData ? _state : LeakState.Stable;
        }
    }

    private LeakVerdict BuildVerdict(DateTimeOffset now, double? limit)
    {
        var a = _assessment;
        if (!a.Judged)
        {
            return new LeakVerdict
            {
                Signal = Signal,
                State = _state,
                EvaluatedAt = now,
                Since = _since,
                Reason = IsSettling(now) ? VerdictReasons.Settling
                    : _state != LeakState.InsufficientData ? VerdictReasons.HeldWithoutHistory
                    : _tooFewTroughs ? VerdictReasons.WaitingForTroughs : VerdictReasons.WarmingUp,
            };
        }

        var rising = a.Slope > 0;
        var lower = a.Slope - (Z95 * a.SlopeError);
        var upper = a.Slope + (Z95 * a.SlopeError);
        // The floors the deciding assessment was made on: the newest stretch's when the recent look decided.
        var (t, y) = _decidedRecently ? (_recentT, _recentY) : (_t, _y);
        var (timeToLimit, earliest, latest) = _state >= LeakState.Suspected
            ? TimeToLimitProjection.Project(limit, t.AsSpan(0, a.Points), y.AsSpan(0, a.Points), a.OnsetSeconds, a.Slope, lower, upper, NewestFloorAge(now, a), LimitSlack)
            : default;
        return new LeakVerdict
        {
            Signal = Signal,
            State = _state,
            EvaluatedAt = now,
            Since = _since,
            Horizon = TimeSpan.FromSeconds(a.SpanSeconds),
            GrowthRatePerSecond = a.Slope,
            GrowthRateLowerPerSecond = rising ? lower : 0,
            GrowthRateUpperPerSecond = rising ? upper : 0,
            GrowthSinceBaseline = a.Growth,
            PValue = rising && a.SlopeError > 0 ? NormalDistribution.UpperTail(a.Slope / a.SlopeError) : 1,
            CurrentValue = a.Last,
            TimeToLimit = timeToLimit,
            TimeToLimitEarliest = earliest,
            TimeToLimitLatest = latest,
            Reason = _unconfirmed && _state == LeakState.Stable ? VerdictReasons.Unconfirmed
                : _decidedRecently && _state == LeakState.Leaking ? VerdictReasons.UrgentRecently : VerdictReasons.For(_state, _decision == Decision.Urgent, _decision == Decision.Unbounded, a.Explanation, _rising, _decision == Decision.Rising, _priorCycleApplied, _young),
        };
    }

    /// <summary>How long before <paramref name="now"/> the newest floor of the assessment was taken, in seconds.</summary>
    private double NewestFloorAge(DateTimeOffset now, in GrowthAssessment a)
    {
        var first = _decidedRecently ? _recentFirstTicks : _firstFloorTicks;
        return first == long.MinValue ? 0 : ((now.UtcTicks - first) / (double)TimeSpan.TicksPerSecond) - a.SpanSeconds;
    }

    private static TimeSpan? TimeTo(double? limit, double current, double rate)
    {
        if (limit is not { } l || !(rate > 0) || !double.IsFinite(l))
        {
            return null;
        }

        var seconds = (l - current) / rate;
        if (seconds <= 0)
        {
            return TimeSpan.Zero;
        }

        return seconds >= TimeSpan.MaxValue.TotalSeconds / 2 ? null : TimeSpan.FromSeconds(seconds);
    }

    /// <summary>The recent look's state at one resolution: its last result, held between re-assessments.</summary>
    private struct RecentLook
    {
        public GrowthAssessment Result;
        public bool Assessed;
        public int Skipped;
        public bool Checked;
        public long CheckedTicks;
        public long FirstTicks;
        public double? Limit;
    }
}
