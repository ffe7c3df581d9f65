using System.Diagnostics;
using LeakGuard.Detection;

namespace LeakGuard.DetectionQuality;

/// <summary>A quick timing of the pieces of one evaluation (the BenchmarkDotNet class is the reference).</summary>
internal static class ProfileEvaluation
{
    public static void Run()
    {
        var settings = DetectorSettings.Create(TimeSpan.FromMinutes(10), TimeSpan.FromSeconds(5), TimeSpan.Zero, new DetectionOptions());
        var analyzer = new HorizonAnalyzer(settings, 64);
        var rng = new Random(1);
        var points = new SignalPoint[64];
        var t0 = DateTimeOffset.UnixEpoch;
        for (var i = 0; i < 64; i++)
        {
            points[i] = new SignalPoint { Timestamp = t0.AddSeconds(i * 10), Min = 5e8 * (1 + (0.01 * rng.NextDouble())) };
        }

        var profile = settings.ForSignal("managed_heap");
        var y = points.Select(p => p.Min).ToArray();
        var t = points.Select((p, i) => i * 10.0).ToArray();
        var pairs = new double[2016];
        var scratch = new double[64];
        Time("Analyze", () => analyzer.Analyze(points, profile));
        Time("KendallS", () => TrendStatistics.KendallS(y));
        Time("KendallVariance", () => TrendStatistics.KendallVariance(y, scratch));
        Time("SenSlope", () => TrendStatistics.SenSlope(t, y, pairs, out _));
        Time("SenConfidence", () => TrendStatistics.SenConfidence(pairs, 30000, 1.96));
        var history = new LeakGuard.Buffering.MultiResolutionSeries(settings.BucketWidths, 256);
        var detector = new SignalDetector("managed_heap", settings);
        var k = 0;
        Time("Add+Evaluate per 10 s", () =>
        {
            LeakVerdict? v = null;
            for (var j = 0; j < 2; j++)
            {
                k++;
                if (history.Add(t0.AddSeconds(k * 5), 5e8 * (1 + (0.01 * rng.NextDouble()))))
                {
                    v = detector.Evaluate(t0.AddSeconds(k * 5), history, 1e9);
                }
            }

            return v;
        });
    }

    private static void Time<T>(string name, Func<T> action)
    {
        for (var i = 0; i < 2000; i++)
        {
            action();
        }

        var sw = Stopwatch.StartNew();
        const int N = 20000;
        for (var i = 0; i < N; i++)
        {
            action();
        }

        Console.WriteLine($"{name}: {sw.Elapsed.TotalMicroseconds / N:0.00} µs");
    }
}
