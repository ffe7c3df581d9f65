using BenchmarkDotNet.Attributes;
using LeakGuard.Buffering;
using LeakGuard.Detection;

namespace LeakGuard.Benchmarks;

/// <summary>
/// The detector's cost per evaluation. <see cref="Evaluate_all_signals"/> is the live path: a finest bucket closes for
/// each of the eleven built-in signals and each detector evaluates (a long life is re-assessed every quarter group of
/// buckets). <see cref="Assess_every_signal"/> is the worst case: the full model comparison of every signal at once, on
/// <see cref="GrowthComparison.MaxPoints"/> floors of a growing series.
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
    private MultiResolutionSeries[] _risingHistories = null!;
    private SignalDetector[] _risingDetectors = null!;
    private int _risingStep = 256 * 256;
    private GrowthComparison _comparison = null!;
    private double[] _t = null!;
    private double[] _y = null!;
    private DateTimeOffset _now;
    private Random _rng = null!;

    [GlobalSetup]
    public void Setup()
    {
        _settings = DetectorSettings.FromOptions(new LeakGuardOptions { WarmUp = TimeSpan.Zero });
        _rng = new Random(1);
        _now = new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
        _histories = Signals.Select(_ => new MultiResolutionSeries(_settings.BucketWidths, _settings.BucketCapacity)).ToArray();
        _detectors = Signals.Select(s => new SignalDetector(s, _settings)).ToArray();
        _risingHistories = Signals.Select(_ => new MultiResolutionSeries(_settings.BucketWidths, _settings.BucketCapacity)).ToArray();
        _risingDetectors = Signals.Select(s => new SignalDetector(s, _settings)).ToArray();

        // Fill every level's ring (256 buckets of the coarsest level = 256 · 256 finest buckets).
        var finest = _settings.BucketWidths[0];
        for (var i = 0; i < 256 * 256; i++)
        {
            _now += finest;
            for (var s = 0; s < Signals.Length; s++)
            {
                _histories[s].Add(_now, Value(i));
                _risingHistories[s].Add(_now, Value(i));
            }
        }

        _comparison = new GrowthComparison();
        _t = Enumerable.Range(0, GrowthComparison.MaxPoints).Select(i => 600.0 * i).ToArray();
        _y = Enumerable.Range(0, GrowthComparison.MaxPoints).Select(i => Value(i * 100)).ToArray();
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

    /// <summary>
    /// The live path while every signal keeps rising to new highs: the recent look (the newest finest buckets judged again
    /// for urgency) re-assesses each signal every <see cref="SignalDetector.RecentEvery"/> buckets on top of the whole life,
    /// and at each coarser grain still finer than the life's floors when one of its buckets closes.
    /// </summary>
    [Benchmark]
    public LeakState Evaluate_all_signals_all_rising()
    {
        _now += _settings.BucketWidths[0];
        var state = LeakState.InsufficientData;
        var value = Value(_risingStep++);
        for (var s = 0; s < Signals.Length; s++)
        {
            _risingHistories[s].Add(_now, value);
            state = _risingDetectors[s].Evaluate(_now, _risingHistories[s], 1e10).State;
        }

        return state;
    }

    [Benchmark]
    public double Assess_every_signal()
    {
        var evidence = 0.0;
        for (var s = 0; s < Signals.Length; s++)
        {
            evidence += _comparison.Assess(_t, _y, 0, 21600).Evidence;
        }

        return evidence;
    }

    private double Value(int i) => 5e8 + (i * 1000.0) + (_rng.NextDouble() * 1e6);
}
