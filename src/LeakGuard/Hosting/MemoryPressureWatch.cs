namespace LeakGuard.Hosting;

/// <summary>Tells when utilisation crosses the pressure threshold upwards; re-arms only after it falls clearly below, so a value hovering at the threshold warns once.</summary>
internal sealed class MemoryPressureWatch
{
    /// <summary>How far below the threshold utilisation must fall before another warning can fire.</summary>
    public const double Hysteresis = 0.05;

    private readonly double _threshold;
    private bool _armed = true;

    /// <summary>Initializes a new instance of the <see cref="MemoryPressureWatch"/> class.</summary>
    /// <param name="threshold">The utilisation (0–1) to warn at.</param>
    public MemoryPressureWatch(double threshold) => _threshold = threshold;

    /// <summary>Observes one utilisation reading.</summary>
    /// <param name="utilization">The utilisation, NaN when unknown.</param>
    /// <returns><see langword="true"/> when a warning is due.</returns>
    public bool Observe(double utilization)
    {
        if (double.IsNaN(utilization))
        {
            return false;
        }

        if (_armed && utilization >= _threshold)
        {
            _armed = false;
            return true;
        }

        if (!_armed && utilization < _threshold - Hysteresis)
        {
            _armed = true;
        }

        return false;
    }
}
