namespace LeakGuard.DetectionQuality.Generation;

/// <summary>
/// Draws a run's parameters from wide ranges and renders its series; the same (family, seed) always gives the same
/// run. A run has at most <see cref="MaxSamples"/> samples: the sampling interval is drawn from
/// [max(1 s, length / 20 000), min(5 min, length / 20)], so long runs are sampled more sparsely.
/// </summary>
internal static class ScenarioGenerator
{
    /// <summary>The most samples a drawn run has.</summary>
    public const int MaxSamples = 20_000;

    /// <summary>The fewest samples a drawn run has.</summary>
    public const int MinSamples = 20;

    private const double Hour = 3600;
    private const double Day = 24 * Hour;

    // A Monday, so the weekly component's phase is the drawn start's day of the week.
    private static readonly DateTimeOffset Monday = new(2026, 3, 2, 0, 0, 0, TimeSpan.Zero);

    /// <summary>Draws a run's parameters.</summary>
    /// <param name="family">The family.</param>
    /// <param name="seed">The seed.</param>
    /// <returns>The parameters.</returns>
    public static RunParameters Draw(Family family, long seed)
    {
        var r = new StableRandom(family.Name, seed);
        var length = r.LogUniform(30 * 60, 8 * Day);
        var p = new RunParameters
        {
            Family = family.Name,
            Seed = seed,
            Start = Monday.AddMilliseconds(Math.Floor(r.Uniform(0, 7 * Day * 1000))),
            Length = length,
            Interval = r.LogUniform(Math.Max(1, length / MaxSamples), Math.Min(300, length / MinSamples)),
            Level = r.LogUniform(20 * 1048576.0, 16 * 1073741824.0),
            NoiseSigma = r.LogUniform(0.002, 0.05),
            NoisePhi = r.Chance(0.3) ? 0 : 1 - r.LogUniform(0.01, 1),
            NoiseSeed = r.NextUInt64(),
        };

        var shape = family.Shape;
        var mixed = shape == Shape.Mixed ? PickMixed(r) : [];
        bool Has(Shape s) => shape == s || mixed.Contains(s);
        if (Has(Shape.WarmUp))
        {
            p = p with { WarmUpAmplitude = r.Uniform(0.05, 1), WarmUpTau = r.LogUniform(60, 6 * Hour), WarmUpLogarithmic = r.Chance(0.5) };
        }

        if (Has(Shape.Cache))
        {
            p = p with { CacheStart = r.Chance(0.5) ? 0 : r.Uniform(0, 0.5 * length), CacheFill = r.LogUniform(300, 6 * Hour), CacheCap = r.Uniform(0.05, 1), CacheLinear = r.Chance(0.5) };
        }

        if (Has(Shape.LevelShifts))
        {
            p = DrawShifts(p, r);
        }

        if (Has(Shape.DailyCycle))
        {
            var amplitude = r.Uniform(0.03, 0.3);
            p = p with
            {
                CycleAmplitude = amplitude,
                CyclePeakHour = r.Uniform(0, 24),
                CycleHarmonic = r.Chance(0.3) ? r.Uniform(0, 0.5) * amplitude : 0,
                WeeklyAmplitude = r.Chance(0.3) ? r.Uniform(0.02, 0.15) : 0,
                WeeklyPeakDay = r.Uniform(0, 7),
            };
        }

        if (Has(Shape.Sawtooth))
        {
            p = p with { SawtoothAmplitude = r.Uniform(0.05, 0.5), SawtoothPeriod = r.LogUniform(10, 1800), SawtoothPhase = r.Unit() };
        }

        if (Has(Shape.Spikes))
        {
            p = p with { SpikeProbability = r.LogUniform(0.001, 0.02), SpikeHeight = r.Uniform(0.1, 2), SpikeSamples = r.Integer(1, 3) };
        }

        var withLimit = r.Chance(0.5);
        if (!family.Leak)
        {
            return withLimit ? p with { Limit = r.Uniform(1.5, 4) } : p;
        }

        var onset = p.WarmUpAmplitude > 0 && r.Chance(0.5)
            ? r.Uniform(0, Math.Min(2 * p.WarmUpTau, 0.8 * length))
            : r.Uniform(0, 0.8 * length);
        var steps = r.Chance(0.4) ? r.Integer(5, 100) : 0;
        p = p with
        {
            LeakRate = r.LogUniform(0.003, 0.5),
            LeakOnset = onset,
            LeakStep = steps > 0 ? Math.Max(p.Interval, (length - onset) / steps) : 0,
        };
        return withLimit ? WithExhaustion(p, r.LogUniform(15 * 60, 6 * Day)) : p;
    }

    /// <summary>Renders a run's series.</summary>
    /// <param name="p">The parameters.</param>
    /// <returns>The run.</returns>
    public static GeneratedRun Render(RunParameters p)
    {
        ArgumentNullException.ThrowIfNull(p);
        var end = Math.Min(p.Length, p.Exhaustion ?? double.PositiveInfinity);
        var count = Math.Max(1, (int)Math.Ceiling(end / p.Interval));
        var times = new double[count];
        var values = new double[count];
        var r = new StableRandom("noise", (long)p.NoiseSeed);
        var innovation = Math.Sqrt(1 - (p.NoisePhi * p.NoisePhi));
        var noise = r.Gaussian();
        var spikeLeft = 0;
        var spikeHeight = 0.0;
        var ceiling = p.Exhaustion is null ? double.PositiveInfinity : p.Limit!.Value;
        for (var i = 0; i < count; i++)
        {
            var t = i * p.Interval;
            if (i > 0)
            {
                noise = (p.NoisePhi * noise) + (innovation * r.Gaussian());
            }

            if (spikeLeft == 0 && p.SpikeProbability > 0 && r.Chance(p.SpikeProbability))
            {
                spikeLeft = r.Integer(1, p.SpikeSamples);
                spikeHeight = r.Uniform(0.1, 1) * p.SpikeHeight;
            }

            var spike = spikeLeft > 0 ? spikeHeight : 0;
            spikeLeft = Math.Max(0, spikeLeft - 1);
            times[i] = t;
            var value = p.Deterministic(t) + (p.Level * ((p.NoiseSigma * noise) + spike));
            values[i] = Math.Min(ceiling, Math.Max(0.01 * p.Level, value));
        }

        double? limit = p.LeakRate > 0 ? p.Limit : p.Limit * values.Max();
        return new GeneratedRun { Parameters = p, Times = times, Values = values, Limit = limit };
    }

    /// <summary>Draws and renders.</summary>
    /// <param name="family">The family.</param>
    /// <param name="seed">The seed.</param>
    /// <returns>The run.</returns>
    public static GeneratedRun Generate(Family family, long seed) => Render(Draw(family, seed));

    private static Shape[] PickMixed(StableRandom r)
    {
        Shape[] parts = [Shape.WarmUp, Shape.Cache, Shape.LevelShifts, Shape.DailyCycle, Shape.Sawtooth, Shape.Spikes];
        while (true)
        {
            var picked = parts.Where(_ => r.Chance(0.4)).ToArray();
            if (picked.Length >= 2)
            {
                return picked;
            }
        }
    }

    private static RunParameters DrawShifts(RunParameters p, StableRandom r)
    {
        var count = r.Integer(1, 10);
        var times = Enumerable.Range(0, count).Select(_ => r.Uniform(0, p.Length)).Order().ToArray();
        var factors = new double[count];
        var level = 1.0;
        for (var i = 0; i < count; i++)
        {
            // Load moves both ways around a typical level: once 50 % above (or 30 % below) it, the next shift goes back.
            var size = r.Uniform(0.02, 0.4);
            var up = level > 1.5 ? false : level < 0.7 || r.Chance(0.5);
            factors[i] = up ? 1 + size : 1 / (1 + size);
            level *= factors[i];
        }

        return p with { ShiftTimes = times, ShiftFactors = factors };
    }

    // The limit sits where the noise-free series stands `untilExhaustion` after the onset, or higher when the healthy
    // behaviour (a cycle's peak, a shift) has already come within 2 % + 3 σ of it; the exhaustion time is then where the
    // noise-free series first reaches it.
    private static RunParameters WithExhaustion(RunParameters p, double untilExhaustion)
    {
        var target = p.LeakOnset + untilExhaustion;
        var step = Math.Max(1, Math.Min(p.Interval, untilExhaustion / 2000));
        var healthyPeak = 0.0;
        for (var t = 0.0; t <= target; t += Math.Max(step, target / 20000))
        {
            healthyPeak = Math.Max(healthyPeak, p.Healthy(t));
        }

        var limit = Math.Max(p.Deterministic(target), (healthyPeak * 1.02) + (3 * p.NoiseSigma * p.Level));
        var exhaustion = p.LeakOnset;
        while (p.Deterministic(exhaustion) < limit)
        {
            exhaustion += Math.Max(step, (exhaustion - p.LeakOnset) / 2000);
        }

        return p with { Limit = limit, Exhaustion = exhaustion };
    }
}
