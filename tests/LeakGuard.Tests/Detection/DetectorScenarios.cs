using LeakGuard.Detection;

namespace LeakGuard.Tests.Detection;

/// <summary>Replays synthetic series through the live path (bucket close → Evaluate) with the leak-zoo test configuration.</summary>
internal static class DetectorScenarios
{
    public static readonly DateTimeOffset Origin = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    /// <summary>Window 30 s, SampleInterval 250 ms, WarmUp 5 s: the configuration the leak zoo runs with.</summary>
    public static DetectorSettings TestSettings() => DetectorSettings.FromOptions(new LeakGuardOptions
    {
        SampleInterval = TimeSpan.FromMilliseconds(250),
        WarmUp = TimeSpan.FromSeconds(5),
        Detection = new DetectionOptions { Window = TimeSpan.FromSeconds(30) },
    });

    public static List<LeakVerdict> Replay(Func<double, Random, double> valueAt, TimeSpan duration, string signal = LeakSignals.ManagedHeap, DetectorSettings? settings = null, int seed = 1, double? limit = null)
    {
        settings ??= TestSettings();
        var replay = new SeriesReplay(new SignalDetector(signal, settings), settings, limit);
        var rng = new Random(seed);
        var verdicts = new List<LeakVerdict>();
        for (var t = 0.0; t <= duration.TotalSeconds; t += 0.25)
        {
            var verdict = replay.Add(Origin.AddSeconds(t), valueAt(t, rng));
            if (verdict is not null)
            {
                verdicts.Add(verdict);
            }
        }

        return verdicts;
    }

    /// <summary>A standard Gaussian draw (Box–Muller, two uniform draws from <paramref name="rng"/>).</summary>
    public static double Gaussian(Random rng) => Math.Sqrt(-2 * Math.Log(1 - rng.NextDouble())) * Math.Cos(2 * Math.PI * rng.NextDouble());

    public static double? FirstLeakingSeconds(IEnumerable<LeakVerdict> verdicts) =>
        verdicts.FirstOrDefault(v => v.State == LeakState.Leaking) is { } v ? (v.EvaluatedAt - Origin).TotalSeconds : null;

    public static int TimesEnteredLeaking(IReadOnlyList<LeakVerdict> verdicts)
    {
        var count = 0;
        for (var i = 0; i < verdicts.Count; i++)
        {
            if (verdicts[i].State == LeakState.Leaking && (i == 0 || verdicts[i - 1].State != LeakState.Leaking))
            {
                count++;
            }
        }

        return count;
    }
}
