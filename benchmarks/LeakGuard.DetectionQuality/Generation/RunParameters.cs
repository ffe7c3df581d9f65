using System.Globalization;
using System.Text;

namespace LeakGuard.DetectionQuality.Generation;

/// <summary>
/// Everything drawn for one run. Amplitudes are fractions of <see cref="Level"/>; times are seconds after
/// <see cref="Start"/>; a zero amplitude or rate means the component is absent. A record, so tests derive
/// variants with <c>with</c> (another sampling interval, a shorter length).
/// </summary>
internal sealed record RunParameters
{
    /// <summary>Gets the family's name.</summary>
    public required string Family { get; init; }

    /// <summary>Gets the seed.</summary>
    public required long Seed { get; init; }

    /// <summary>Gets the wall-clock time of the first sample (any day of the week, any time of day).</summary>
    public required DateTimeOffset Start { get; init; }

    /// <summary>Gets the planned length in seconds (a leak run with a limit ends earlier, at exhaustion).</summary>
    public required double Length { get; init; }

    /// <summary>Gets the sampling interval in seconds.</summary>
    public required double Interval { get; init; }

    /// <summary>Gets the base level in bytes.</summary>
    public required double Level { get; init; }

    /// <summary>Gets the noise's marginal standard deviation as a fraction of the level.</summary>
    public double NoiseSigma { get; init; }

    /// <summary>Gets the noise's lag-one autocorrelation per sample (0 = independent).</summary>
    public double NoisePhi { get; init; }

    /// <summary>Gets the seed of the noise and spikes.</summary>
    public ulong NoiseSeed { get; init; }

    /// <summary>Gets the warm-up's rise.</summary>
    public double WarmUpAmplitude { get; init; }

    /// <summary>Gets the warm-up's time constant.</summary>
    public double WarmUpTau { get; init; }

    /// <summary>Gets a value indicating whether the warm-up is logarithmic (A·ln(1+t/τ)/ln 101, flat from 100 τ) rather than exponential.</summary>
    public bool WarmUpLogarithmic { get; init; }

    /// <summary>Gets when the cache starts filling.</summary>
    public double CacheStart { get; init; }

    /// <summary>Gets how long the cache takes to fill.</summary>
    public double CacheFill { get; init; }

    /// <summary>Gets the cache's cap.</summary>
    public double CacheCap { get; init; }

    /// <summary>Gets a value indicating whether the cache fills at a constant rate (otherwise ever slower: 1 − (1 − x)²).</summary>
    public bool CacheLinear { get; init; }

    /// <summary>Gets the times of the level shifts.</summary>
    public double[] ShiftTimes { get; init; } = [];

    /// <summary>Gets the factor each shift multiplies the level by.</summary>
    public double[] ShiftFactors { get; init; } = [];

    /// <summary>Gets the daily cycle's half-range.</summary>
    public double CycleAmplitude { get; init; }

    /// <summary>Gets the hour of day (UTC) of the daily peak.</summary>
    public double CyclePeakHour { get; init; }

    /// <summary>Gets the second harmonic's amplitude (a two-humped day).</summary>
    public double CycleHarmonic { get; init; }

    /// <summary>Gets the weekly component's half-range.</summary>
    public double WeeklyAmplitude { get; init; }

    /// <summary>Gets the day of the week (0 = Monday) of the weekly peak.</summary>
    public double WeeklyPeakDay { get; init; }

    /// <summary>Gets the GC sawtooth's height.</summary>
    public double SawtoothAmplitude { get; init; }

    /// <summary>Gets the GC sawtooth's period.</summary>
    public double SawtoothPeriod { get; init; }

    /// <summary>Gets the sawtooth's phase at the start (0–1).</summary>
    public double SawtoothPhase { get; init; }

    /// <summary>Gets the probability that a sample starts a spike.</summary>
    public double SpikeProbability { get; init; }

    /// <summary>Gets the largest spike height.</summary>
    public double SpikeHeight { get; init; }

    /// <summary>Gets the longest spike in samples.</summary>
    public int SpikeSamples { get; init; }

    /// <summary>Gets the leak's average rate as a fraction of the level per hour (0 = healthy).</summary>
    public double LeakRate { get; init; }

    /// <summary>Gets the leak's onset.</summary>
    public double LeakOnset { get; init; }

    /// <summary>Gets the staircase's duration of one step (0 = linear); the first step comes at the onset.</summary>
    public double LeakStep { get; init; }

    /// <summary>Gets the limit for a leak run (bytes), or the limit as a multiple of the rendered peak for a healthy run.</summary>
    public double? Limit { get; init; }

    /// <summary>Gets when the leak exhausts the limit, for a leak run with a limit.</summary>
    public double? Exhaustion { get; init; }

    /// <summary>Gets the value without noise or spikes at a time.</summary>
    /// <param name="t">Seconds after the start.</param>
    /// <returns>The value in bytes.</returns>
    public double Deterministic(double t) => Healthy(t) + Leaked(t);

    /// <summary>Gets the healthy value without noise or spikes.</summary>
    /// <param name="t">Seconds after the start.</param>
    /// <returns>The value in bytes.</returns>
    public double Healthy(double t)
    {
        var relative = 1.0;
        if (WarmUpAmplitude > 0)
        {
            relative += WarmUpLogarithmic
                ? WarmUpAmplitude * Math.Min(1, Math.Log(1 + (t / WarmUpTau)) / Math.Log(101))
                : WarmUpAmplitude * (1 - Math.Exp(-t / WarmUpTau));
        }

        if (CacheCap > 0 && t > CacheStart)
        {
            var x = Math.Min(1, (t - CacheStart) / CacheFill);
            relative += CacheCap * (CacheLinear ? x : 1 - ((1 - x) * (1 - x)));
        }

        if (CycleAmplitude > 0 || WeeklyAmplitude > 0)
        {
            var clock = Start.AddSeconds(t);
            var hours = (clock - clock.Date).TotalHours - CyclePeakHour;
            relative += CycleAmplitude * Math.Cos(2 * Math.PI * hours / 24);
            relative += CycleHarmonic * Math.Cos(4 * Math.PI * hours / 24);
            var days = ((((int)clock.DayOfWeek + 6) % 7) + (clock - clock.Date).TotalDays) - WeeklyPeakDay;
            relative += WeeklyAmplitude * Math.Cos(2 * Math.PI * days / 7);
        }

        if (SawtoothAmplitude > 0)
        {
            var phase = (t / SawtoothPeriod) + SawtoothPhase;
            relative += SawtoothAmplitude * (phase - Math.Floor(phase));
        }

        for (var i = 0; i < ShiftTimes.Length && ShiftTimes[i] <= t; i++)
        {
            relative *= ShiftFactors[i];
        }

        return Level * relative;
    }

    /// <summary>Gets the leaked bytes at a time.</summary>
    /// <param name="t">Seconds after the start.</param>
    /// <returns>The bytes.</returns>
    public double Leaked(double t)
    {
        if (LeakRate <= 0 || t < LeakOnset)
        {
            return 0;
        }

        var hours = LeakStep > 0 ? (Math.Floor((t - LeakOnset) / LeakStep) + 1) * LeakStep / 3600 : (t - LeakOnset) / 3600;
        return Level * LeakRate * hours;
    }

    /// <summary>Describes the drawn parameters in one line (for <c>--list-failures</c>).</summary>
    /// <returns>The description.</returns>
    public string Describe()
    {
        var text = new StringBuilder();
        void Add(FormattableString part) => text.Append(' ').Append(part.ToString(CultureInfo.InvariantCulture));
        Add($"start {Start:ddd HH:mm:ss}, length {Length / 3600:0.##} h, every {Interval:0.#} s, level {Level / 1048576:0} MiB, noise σ {NoiseSigma * 100:0.##} % φ {NoisePhi:0.###};");
        if (WarmUpAmplitude > 0)
        {
            Add($"warm-up {(WarmUpLogarithmic ? "log" : "exp")} +{WarmUpAmplitude * 100:0} % τ {WarmUpTau / 60:0.#} min;");
        }

        if (CacheCap > 0)
        {
            Add($"cache {(CacheLinear ? "linear" : "concave")} +{CacheCap * 100:0} % from {CacheStart / 3600:0.##} h over {CacheFill / 60:0.#} min;");
        }

        if (ShiftTimes.Length > 0)
        {
            Add($"shifts {string.Join(' ', ShiftTimes.Zip(ShiftFactors, (t, f) => string.Create(CultureInfo.InvariantCulture, $"×{f:0.###}@{t / 3600:0.##}h")))};");
        }

        if (CycleAmplitude > 0)
        {
            Add($"daily ±{CycleAmplitude * 100:0.#} % peak {CyclePeakHour:0.#} h harmonic {CycleHarmonic * 100:0.#} % weekly ±{WeeklyAmplitude * 100:0.#} %;");
        }

        if (SawtoothAmplitude > 0)
        {
            Add($"sawtooth {SawtoothAmplitude * 100:0} % every {SawtoothPeriod:0} s;");
        }

        if (SpikeProbability > 0)
        {
            Add($"spikes p {SpikeProbability:0.####} up to +{SpikeHeight * 100:0} % × {SpikeSamples} samples;");
        }

        if (LeakRate > 0)
        {
            Add($"leak {LeakRate * 100:0.###} %/h {(LeakStep > 0 ? string.Create(CultureInfo.InvariantCulture, $"in steps of {LeakStep / 60:0.#} min") : "linear")} from {LeakOnset / 3600:0.##} h;");
        }

        if (Exhaustion is { } e)
        {
            Add($"limit {Limit / 1048576:0} MiB reached at {e / 3600:0.##} h;");
        }
        else if (Limit is { } l)
        {
            Add($"limit {(LeakRate > 0 ? string.Create(CultureInfo.InvariantCulture, $"{l / 1048576:0} MiB") : string.Create(CultureInfo.InvariantCulture, $"{l:0.##} × peak"))};");
        }

        return text.ToString().Trim();
    }
}
