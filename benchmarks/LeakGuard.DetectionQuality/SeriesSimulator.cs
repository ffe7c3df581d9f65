namespace LeakGuard.DetectionQuality;

/// <summary>Generates a scenario's series in simulated time from a fixed seed (no waiting, no clock).</summary>
internal static class SeriesSimulator
{
    public const double Baseline = 512.0 * 1024 * 1024;

    public static int Generate(Scenario s, int seed, double dtSeconds, double[] values)
    {
        var n = (int)(s.Duration.TotalSeconds / dtSeconds);
        var rng = new Random(seed);
        var ar = Gaussian(rng) * s.NoiseSigma;
        var innovation = Math.Sqrt(1 - (s.Phi * s.Phi)) * s.NoiseSigma;
        var onset = s.LeakOnset.TotalSeconds;
        var stop = s.LeakStopsAfter?.TotalSeconds ?? double.PositiveInfinity;
        var stepLevel = 0;
        var nextStep = s.StepEvery is { } every ? Exponential(rng, every.TotalSeconds) : double.PositiveInfinity;
        var spikeProbability = s.SpikesPerHour * dtSeconds / 3600;
        var sawPhase = rng.NextDouble();
        var cyclePhase = rng.NextDouble() * 2 * Math.PI;
        for (var i = 0; i < n; i++)
        {
            var t = i * dtSeconds;
            ar = (s.Phi * ar) + (innovation * Gaussian(rng));
            var level = 1.0 + ar;
            if (s.WarmUpAmplitude > 0)
            {
                level += s.WarmUpAmplitude * (1 - Math.Exp(-t / s.WarmUpTau.TotalSeconds));
            }

            if (s.LogAmplitude > 0)
            {
                level += s.LogAmplitude * Math.Log(1 + (t / s.LogTau.TotalSeconds));
            }

            if (s.CycleAmplitude > 0)
            {
                level += s.CycleAmplitude * Math.Sin(cyclePhase + (2 * Math.PI * t / 86400));
            }

            while (t >= nextStep)
            {
                stepLevel = Math.Clamp(stepLevel + (rng.NextDouble() < 0.5 ? -1 : 1), -2, 2);
                nextStep += Exponential(rng, s.StepEvery!.Value.TotalSeconds);
            }

            level += stepLevel * s.StepSize;
            if (s.LeakPerHour > 0 && t > onset)
            {
                var leakSeconds = Math.Min(t - onset, stop);
                if (s.StairPeriod is { } stair)
                {
                    leakSeconds = Math.Floor(leakSeconds / stair.TotalSeconds) * stair.TotalSeconds;
                }

                level += s.LeakPerHour * leakSeconds / 3600;
            }

            if (s.SawtoothAmplitude > 0)
            {
                var phase = ((t / s.SawtoothPeriod.TotalSeconds) + sawPhase) % 1.0;
                level += s.SawtoothAmplitude * phase;
            }

            if (spikeProbability > 0 && rng.NextDouble() < spikeProbability)
            {
                level += s.SpikeAmplitude;
            }

            values[i] = Baseline * level;
        }

        return n;
    }

    private static double Gaussian(Random rng)
    {
        var u1 = 1.0 - rng.NextDouble();
        var u2 = rng.NextDouble();
        return Math.Sqrt(-2 * Math.Log(u1)) * Math.Cos(2 * Math.PI * u2);
    }

    private static double Exponential(Random rng, double mean) => -mean * Math.Log(1 - rng.NextDouble());
}
