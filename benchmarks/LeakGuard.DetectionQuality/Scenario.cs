namespace LeakGuard.DetectionQuality;

/// <summary>One cell of the labelled corpus: a recipe for a simulated memory series (all amplitudes are fractions of the baseline).</summary>
internal sealed record Scenario
{
    public required string Name { get; init; }

    public required string Group { get; init; }

    public int Runs { get; init; } = 200;

    public TimeSpan Duration { get; init; } = TimeSpan.FromHours(24);

    public double NoiseSigma { get; init; } = 0.005;

    public double Phi { get; init; }

    /// <summary>Leak rate as a fraction of the baseline per hour (0 = negative cell).</summary>
    public double LeakPerHour { get; init; }

    public TimeSpan LeakOnset { get; init; } = TimeSpan.FromHours(1);

    /// <summary>When the leak is fixed (growth stops), measured from the onset; null = never.</summary>
    public TimeSpan? LeakStopsAfter { get; init; }

    /// <summary>Staircase leaks grow in jumps this far apart; null = smooth.</summary>
    public TimeSpan? StairPeriod { get; init; }

    public double WarmUpAmplitude { get; init; }

    public TimeSpan WarmUpTau { get; init; } = TimeSpan.FromMinutes(3);

    public double LogAmplitude { get; init; }

    public TimeSpan LogTau { get; init; } = TimeSpan.FromMinutes(10);

    /// <summary>Load steps: mean time between steps and the step size (up or down at random, kept within ±2 steps).</summary>
    public TimeSpan? StepEvery { get; init; }

    public double StepSize { get; init; } = 0.1;

    public double CycleAmplitude { get; init; }

    public double SawtoothAmplitude { get; init; }

    public TimeSpan SawtoothPeriod { get; init; } = TimeSpan.FromSeconds(90);

    /// <summary>Spikes per hour (single samples far above the level).</summary>
    public double SpikesPerHour { get; init; }

    public double SpikeAmplitude { get; init; } = 0.5;

    public bool IsPositive => LeakPerHour > 0;
}
