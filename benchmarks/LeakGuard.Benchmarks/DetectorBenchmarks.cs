using BenchmarkDotNet.Attributes;
using LeakGuard.Buffering;
using LeakGuard.Detection;

namespace LeakGuard.Benchmarks;

/// <summary>
/// The detector's cost per evaluation. <see cref="Evaluate_all_signals"/> is the live path: a finest bucket closes
/// for each of the eleven built-in signals and each detector evaluates (only levels with a new bucket are
/// re-analysed). <see cref="Analyze_every_horizon_of_every_signal"/> is the worst case: every horizon of every signal
/// re-analysed at once, on growing series so every check runs (the level-shift guard's fit on the slower levels included).
/// </summary>
[MemoryDiagnoser]
public class DetectorBenchmarks
{
    private static readonly string[] Signals =
    [
        LeakSignals.ManagedHeap, LeakSignals.Gen2, LeakSignals.Loh, LeakSignals.ProcessMemory, LeakSignals.NativeMemory,
        LeakSignals.Threads, LeakSignals.Timers, LeakSignals.GcHandles, LeakSignals.FinalizationQueue, LeakSignals.GcPressure,
        LeakSignals.RetainedObjects,
    ];

    private DetectorSettings _settings = null!;
    private MultiResolutionSeries[] _histories = null!;
    private SignalDetector[] _detectors = null!;
    private HorizonAnalyzer _analyzer = null!;
    private SignalPoint[] _points = null!;
    private SignalProfile _profile = null!;
    private DateTimeOffset _now;
    private Random _rng = null!;

    /// <summary>Gets or sets the buckets per analysed window (the detector uses 64; 256 shows the cost of longer windows).</summary>
    [Params(64, 256)]
    public int Points { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _settings = DetectorSettings.FromOptions(new LeakGuardOptions { WarmUp = TimeSpan.Zero });
        _rng = new Random(1);
        _now = new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
        _histories = Signals.Select(_ => new MultiResolutionSeries(_settings.BucketWidths, _settings.BucketCapacity)).ToArray();
        _detectors = Signals.Select(s => new SignalDetector(s, _settings)).ToArray();

        // Fill every level's ring (256 buckets of the coarsest level = 256 · 256 finest buckets).
        var finest = _settings.BucketWidths[0];
        for (var i = 0; i < 256 * 256; i++)
        {
            _now += finest;
            for (var s = 0; s < Signals.Length; s++)
            {
                _histories[s].Add(_now, Value(i));
            }
        }

        _analyzer = new HorizonAnalyzer(_settings, Points);
        _points = Enumerable.Range(0, Points).Select(i => new SignalPoint { Timestamp = _now.AddSeconds(10 * i), Min = Value(i * 100) }).ToArray();
        _profile = _settings.ForSignal(LeakSignals.ManagedHeap);
    }

    [Benchmark]
    public LeakState Evaluate_all_signals()
    {
        _now += _settings.BucketWidths[0];
        var state = LeakState.InsufficientData;
        for (var s = 0; s < Signals.Length; s++)
        {
            _histories[s].Add(_now, Value(0));
            state = _detectors[s].Evaluate(_now, _histories[s], 1e10).State;
        }

        return state;
    }

    [Benchmark]
    public int Analyze_every_horizon_of_every_signal()
    {
        var passed = 0;
        for (var s = 0; s < Signals.Length; s++)
        {
            for (var level = 0; level < _settings.BucketWidths.Count; level++)
            {
                // As the detector calls it: slower levels measure their noise, the third level on judges level shifts.
                passed += _analyzer.Analyze(_points, _profile, level > 0, judgeShifts: level >= _settings.LevelShiftMinLevel).Passed ? 1 : 0;
            }
        }

        return passed;
    }

    private double Value(int i) => 5e8 + (i * 1000.0) + (_rng.NextDouble() * 1e6);
}
