namespace LeakGuard.Investigation;

/// <summary>
/// The allocation recording's sample rate budget, a token bucket: it earns <see cref="PerSecond"/> samples a second up to
/// <see cref="Burst"/>, and each counted sample spends one. When it runs dry the recording closes its session, and it
/// reopens the session once the bucket is full again. A process that allocates fewer than <see cref="PerSecond"/> samples
/// a second is recorded without a pause; one that allocates more is recorded in bursts that average
/// <see cref="PerSecond"/>, so the recording's cost (which is per sample: the runtime's event and stack walk, the
/// reader's work, the survival events of the GCs it sees) stops growing with the host's allocation rate.
/// </summary>
/// <remarks>Used by one thread (the recording's reader).</remarks>
internal sealed class SampleBudget
{
    private double _tokens;
    private TimeSpan _at;

    /// <summary>Initializes a new instance of the <see cref="SampleBudget"/> class, full.</summary>
    /// <param name="perSecond">The samples earned a second; <see cref="double.PositiveInfinity"/> for no limit.</param>
    /// <param name="burst">The most samples the bucket holds (at least 1).</param>
    public SampleBudget(double perSecond, double burst)
    {
        if (!(perSecond > 0))
        {
            throw new ArgumentOutOfRangeException(nameof(perSecond), perSecond, "The sample rate must be more than zero.");
        }

        if (!(burst >= 1) || double.IsInfinity(burst))
        {
            throw new ArgumentOutOfRangeException(nameof(burst), burst, "The burst must be at least one sample and finite.");
        }

        PerSecond = perSecond;
        Burst = burst;
        _tokens = burst;
    }

    /// <summary>Gets the samples earned a second.</summary>
    public double PerSecond { get; }

    /// <summary>Gets the most samples the bucket holds.</summary>
    public double Burst { get; }

    /// <summary>Spends one sample.</summary>
    /// <param name="now">The recording's clock.</param>
    /// <returns><see langword="false"/> when the bucket has run dry: the session should close.</returns>
    public bool Take(TimeSpan now)
    {
        if (double.IsPositiveInfinity(PerSecond))
        {
            return true;
        }

        Refill(now);
        _tokens--;
        return _tokens > 0;
    }

    /// <summary>Gets how long until the bucket is full again.</summary>
    /// <param name="now">The recording's clock.</param>
    /// <returns>The wait; zero when it is full.</returns>
    public TimeSpan UntilFull(TimeSpan now)
    {
        Refill(now);
        return double.IsPositiveInfinity(PerSecond) || _tokens >= Burst
            ? TimeSpan.Zero
            : TimeSpan.FromSeconds((Burst - _tokens) / PerSecond);
    }

    private void Refill(TimeSpan now)
    {
        if (now > _at)
        {
            _tokens = Math.Min(Burst, _tokens + ((now - _at).TotalSeconds * PerSecond));
            _at = now;
        }
    }
}
