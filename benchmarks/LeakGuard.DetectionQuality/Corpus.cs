namespace LeakGuard.DetectionQuality;

/// <summary>The labelled scenario corpus (fixed recipes; seeds derive from the cell and run index).</summary>
internal static class Corpus
{
    public const string Noise = "noise";
    public const string Confounders = "confounders";

    public static IReadOnlyList<Scenario> Build(int negativeRuns, int positiveRuns)
    {
        var list = new List<Scenario>
        {
            // Negatives: flat heaps under several kinds and levels of noise.
            Neg("flat, iid σ=0.5 %", Noise, 0.005, 0),
            Neg("flat, iid σ=2 %", Noise, 0.02, 0),
            Neg("flat, AR φ=0.9 σ=1 %", Noise, 0.01, 0.9),
            Neg("flat, AR φ=0.98 σ=1 %", Noise, 0.01, 0.98),
            Neg("flat, AR φ=0.98 σ=3 %", Noise, 0.03, 0.98),

            // Negatives: the confounders that fool simpler rules.
            Neg("warm-up +30 %, τ=3 min", Confounders, 0.005, 0.9) with { WarmUpAmplitude = 0.3, WarmUpTau = TimeSpan.FromMinutes(3) },
            Neg("warm-up +30 %, τ=45 min", Confounders, 0.005, 0.9) with { WarmUpAmplitude = 0.3, WarmUpTau = TimeSpan.FromMinutes(45) },
            Neg("log growth 5 %·ln(1+t/10 min)", Confounders, 0.005, 0.9) with { LogAmplitude = 0.05 },
            Neg("load steps ±10 % every ~3 h", Confounders, 0.005, 0.9) with { StepEvery = TimeSpan.FromHours(3) },
            Neg("daily cycle ±10 % (72 h)", Confounders, 0.005, 0.9) with { CycleAmplitude = 0.10, Duration = TimeSpan.FromHours(72) },
            Neg("GC sawtooth 10 %/90 s", Confounders, 0.005, 0) with { SawtoothAmplitude = 0.10 },
            Neg("rare spikes +50 %, 1/h", Confounders, 0.005, 0.9) with { SpikesPerHour = 1 },
        };

        foreach (var rate in new[] { 0.005, 0.01, 0.02, 0.05, 0.20 })
        {
            list.Add(Pos($"leak {rate * 100:0.#} %/h, AR φ=0.9 σ=1 %", Noise, rate, 0.01, 0.9) with
            {
                Duration = TimeSpan.FromHours(rate < 0.01 ? 25 : 13),
            });
        }

        list.Add(Pos("leak 2 %/h, iid σ=2 %", Noise, 0.02, 0.02, 0));
        list.Add(Pos("leak 2 %/h, AR φ=0.98 σ=1 %", Noise, 0.02, 0.01, 0.98));
        list.Add(Pos("staircase 2 %/h (jumps every 30 min)", Confounders, 0.02, 0.005, 0.9) with { StairPeriod = TimeSpan.FromMinutes(30) });
        list.Add(Pos("leak 2 %/h after warm-up +30 %", Confounders, 0.02, 0.005, 0.9) with
        {
            WarmUpAmplitude = 0.3,
            LeakOnset = TimeSpan.FromMinutes(15),
        });
        list.Add(Pos("leak 5 %/h fixed after 3 h", Confounders, 0.05, 0.005, 0.9) with { LeakStopsAfter = TimeSpan.FromHours(3) });
        list.Add(Pos("leak 2 %/h under GC sawtooth 10 %", Confounders, 0.02, 0.005, 0) with { SawtoothAmplitude = 0.10 });
        list.Add(Pos("leak 5 %/h on daily cycle ±10 %", Confounders, 0.05, 0.005, 0.9) with { CycleAmplitude = 0.10 });

        return list;

        Scenario Neg(string name, string group, double sigma, double phi) =>
            new() { Name = name, Group = group, NoiseSigma = sigma, Phi = phi, Runs = negativeRuns };

        Scenario Pos(string name, string group, double rate, double sigma, double phi) =>
            new() { Name = name, Group = group, NoiseSigma = sigma, Phi = phi, LeakPerHour = rate, Runs = positiveRuns, Duration = TimeSpan.FromHours(13) };
    }
}
