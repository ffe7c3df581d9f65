namespace LeakGuard.Hosting;

/// <summary>
/// Accumulates this lifetime's <see cref="LifetimeSummary"/> in the sampling loop without allocating: the binding limit's
/// utilisation floor per segment (<see cref="Segments"/> segments whose width doubles as the lifetime grows, so any
/// lifetime is described by the same few numbers), and per memory signal its first, last and highest reading and its
/// lowest reading per clock hour over the last <see cref="HourlyCapacity"/> hours. Written by the loop only.
/// </summary>
internal sealed class LifetimeRecorder
{
    /// <summary>The number of utilisation-floor segments kept.</summary>
    public const int Segments = 16;

    /// <summary>The hourly floors kept per signal: three days.</summary>
    public const int HourlyCapacity = 72;

    private static readonly string[] Signals =
        [LeakSignals.ManagedHeap, LeakSignals.Gen2, LeakSignals.Loh, LeakSignals.ProcessMemory, LeakSignals.NativeMemory];

    private static readonly long HourTicks = TimeSpan.TicksPerHour;

    private readonly DateTimeOffset _startedAt;
    private readonly double[] _floors = new double[Segments];
    private readonly SignalTrack[] _tracks = new SignalTrack[Signals.Length];
    private long _widthTicks;
    private double _peak = double.NaN;
    private long _limitBytes = -1;
    private string? _limit;

    /// <summary>Initializes a new instance of the <see cref="LifetimeRecorder"/> class.</summary>
    /// <param name="startedAt">When the lifetime started.</param>
    /// <param name="initialWidth">The first segment width (the sample interval: the floors are then exact while the lifetime is short).</param>
    public LifetimeRecorder(DateTimeOffset startedAt, TimeSpan initialWidth)
    {
        _startedAt = startedAt;
        _widthTicks = Math.Max(TimeSpan.TicksPerMillisecond, initialWidth.Ticks);
        Array.Fill(_floors, double.NaN);
        for (var i = 0; i < _tracks.Length; i++)
        {
            _tracks[i] = new SignalTrack();
        }
    }

    /// <summary>Gets when the lifetime started.</summary>
    public DateTimeOffset StartedAt => _startedAt;

    /// <summary>Records the binding limit's utilisation at one step.</summary>
    /// <param name="now">The step's time.</param>
    /// <param name="utilization">The utilisation (NaN is ignored).</param>
    /// <param name="limitBytes">The binding limit.</param>
    /// <param name="limit">Its name.</param>
    public void ObserveUtilization(DateTimeOffset now, double utilization, long limitBytes, string? limit)
    {
        if (!double.IsFinite(utilization))
        {
            return;
        }

        _limitBytes = limitBytes;
        _limit = limit;
        _peak = double.IsNaN(_peak) ? utilization : Math.Max(_peak, utilization);
        var elapsed = Math.Max(0, (now - _startedAt).Ticks);
        while (elapsed / _widthTicks >= Segments)
        {
            // Coarsen: each pair of segments becomes one of twice the width.
            for (var i = 0; i < Segments / 2; i++)
            {
                _floors[i] = Min(_floors[2 * i], _floors[(2 * i) + 1]);
            }

            Array.Fill(_floors, double.NaN, Segments / 2, Segments / 2);
            _widthTicks *= 2;
        }

        var index = (int)(elapsed / _widthTicks);
        _floors[index] = Min(_floors[index], utilization);
    }

    /// <summary>Returns whether the lifetime so far grew (<see cref="RestartCadence.Grew"/> on its floors; allocation-free).</summary>
    /// <returns><see langword="true"/> when it grew.</returns>
    public bool Grew() => RestartCadence.Grew(_floors);

    /// <summary>Records a memory signal's reading (other signals are ignored).</summary>
    /// <param name="now">The step's time.</param>
    /// <param name="signal">The signal.</param>
    /// <param name="value">Its value.</param>
    public void ObserveSignal(DateTimeOffset now, string signal, double value)
    {
        var i = Array.IndexOf(Signals, signal);
        if (i >= 0 && double.IsFinite(value))
        {
            _tracks[i].Observe(now, value);
        }
    }

    /// <summary>Builds the summary as of now.</summary>
    /// <param name="now">The time of the write.</param>
    /// <param name="verdicts">The current verdicts (their floor slopes are recorded per signal).</param>
    /// <param name="leakType">The top growing type of the lifetime's latest report, or <see langword="null"/>.</param>
    /// <param name="leakSignature">Its signature, or <see langword="null"/>.</param>
    /// <returns>The summary (its reason is set by the next start).</returns>
    public LifetimeSummary Summarize(DateTimeOffset now, IReadOnlyDictionary<string, LeakVerdict> verdicts, string? leakType, string? leakSignature)
    {
        var used = Segments;
        while (used > 0 && double.IsNaN(_floors[used - 1]))
        {
            used--;
        }

        var signals = new List<LifetimeSignal>(Signals.Length);
        for (var i = 0; i < Signals.Length; i++)
        {
            var track = _tracks[i];
            if (track.Count == 0)
            {
                continue;
            }

            var verdict = verdicts.TryGetValue(Signals[i], out var v) && v.State != LeakState.InsufficientData ? v : null;
            signals.Add(new LifetimeSignal
            {
                Signal = Signals[i],
                First = track.First,
                Last = track.Last,
                Peak = track.Peak,
                State = verdict?.State.ToString(),
                RatePerSecond = verdict?.GrowthRatePerSecond ?? double.NaN,
                RateLowerPerSecond = verdict?.GrowthRateLowerPerSecond ?? double.NaN,
                RateUpperPerSecond = verdict?.GrowthRateUpperPerSecond ?? double.NaN,
                Horizon = verdict?.Horizon ?? TimeSpan.Zero,
                HourlyFrom = new DateTimeOffset(track.FirstHourTicks, TimeSpan.Zero),
                HourlyFloors = track.HourlyFloors(),
            });
        }

        return new LifetimeSummary
        {
            ProcessId = Environment.ProcessId,
            StartedAt = _startedAt,
            LastSeenAt = now,
            PeakUtilization = _peak,
            LimitBytes = _limitBytes,
            Limit = _limit,
            FloorWidth = TimeSpan.FromTicks(_widthTicks),
            UtilizationFloors = _floors.AsSpan(0, used).ToArray(),
            Signals = signals,
            LeakType = leakType,
            LeakSignature = leakSignature,
        };
    }

    private static double Min(double a, double b) => double.IsNaN(a) ? b : double.IsNaN(b) ? a : Math.Min(a, b);

    /// <summary>One signal's readings: first, last, peak and hourly minima in a ring.</summary>
    private sealed class SignalTrack
    {
        private readonly double[] _hourly = new double[HourlyCapacity];
        private long _lastHour = long.MinValue;
        private int _hours;

        public int Count { get; private set; }

        public double First { get; private set; }

        public double Last { get; private set; }

        public double Peak { get; private set; }

        /// <summary>Gets the start of the oldest hour kept, in UTC ticks.</summary>
        public long FirstHourTicks => (_lastHour - (_hours - 1)) * HourTicks;

        public void Observe(DateTimeOffset now, double value)
        {
            if (Count++ == 0)
            {
                First = value;
                Peak = value;
            }

            Last = value;
            Peak = Math.Max(Peak, value);
            var hour = now.UtcTicks / HourTicks;
            if (_hours == 0)
            {
                _lastHour = hour;
                _hours = 1;
                _hourly[Slot(hour)] = value;
                return;
            }

            if (hour > _lastHour)
            {
                // Hours without a reading (a frozen process) stay NaN; more than the ring holds clears it.
                var gap = Math.Min(hour - _lastHour, HourlyCapacity);
                for (var h = 1; h <= gap; h++)
                {
                    _hourly[Slot(_lastHour + h)] = double.NaN;
                }

                _hours = (int)Math.Min(HourlyCapacity, _hours + (hour - _lastHour));
                _lastHour = hour;
            }
            else if (hour < _lastHour)
            {
                return; // The clock went back: the floors stay in the hours already recorded.
            }

            ref var slot = ref _hourly[Slot(hour)];
            slot = double.IsNaN(slot) ? value : Math.Min(slot, value);
        }

        public double[] HourlyFloors()
        {
            var result = new double[_hours];
            for (var i = 0; i < _hours; i++)
            {
                result[i] = _hourly[Slot(_lastHour - (_hours - 1) + i)];
            }

            return result;
        }

        private static int Slot(long hour) => (int)(((hour % HourlyCapacity) + HourlyCapacity) % HourlyCapacity);
    }
}
