namespace LeakGuard.DetectionQuality;

/// <summary>node-memwatch's rule: five consecutive increases of the post-GC heap.</summary>
internal sealed class MemwatchMethod(double warmUpSeconds) : IAlarmMethod
{
    private double _previous;
    private int _increases;
    private bool _started;

    public string Name => "memwatch 5×↑";

    public void Reset()
    {
        _started = false;
        _increases = 0;
    }

    public bool Step(double tSeconds, double value)
    {
        if (tSeconds < warmUpSeconds)
        {
            return false;
        }

        _increases = _started && value > _previous ? _increases + 1 : 0;
        _started = true;
        _previous = value;
        return _increases >= 5;
    }
}

/// <summary>OLS slope over the detector's shortest window, one-sided p &lt; 0.05, tested at every bucket close.</summary>
internal sealed class OlsPValueMethod(double windowSeconds, double dtSeconds, double everySeconds, double warmUpSeconds, double baseline) : IAlarmMethod
{
    private readonly RollingOls _ols = new((int)(windowSeconds / dtSeconds));
    private double _nextTest;

    public string Name => "OLS p<0.05";

    public void Reset()
    {
        _ols.Reset();
        _nextTest = warmUpSeconds + windowSeconds;
    }

    public bool Step(double tSeconds, double value)
    {
        if (tSeconds < warmUpSeconds)
        {
            return false;
        }

        _ols.Add(tSeconds / 3600, (value / baseline) - 1);
        if (tSeconds < _nextTest)
        {
            return false;
        }

        _nextTest += everySeconds;
        var (slope, t, _) = _ols.Fit();
        return slope > 0 && t > 1.6449;
    }
}

/// <summary>A fixed threshold: alarm while the value is above 80 % of the limit (dotnet-monitor style).</summary>
internal sealed class ThresholdMethod(double limit) : IAlarmMethod
{
    public string Name => "80 % of limit";

    public void Reset()
    {
    }

    public bool Step(double tSeconds, double value) => value >= 0.8 * limit;
}

/// <summary>coroot's rule: linear-regression growth above 10 %/h over the last hour.</summary>
internal sealed class RegressionGrowthMethod(double dtSeconds, double everySeconds, double warmUpSeconds, double baseline) : IAlarmMethod
{
    private readonly RollingOls _ols = new((int)(3600 / dtSeconds));
    private double _nextTest;

    public string Name => "LR >10 %/h";

    public void Reset()
    {
        _ols.Reset();
        _nextTest = warmUpSeconds + 600;
    }

    public bool Step(double tSeconds, double value)
    {
        if (tSeconds < warmUpSeconds)
        {
            return false;
        }

        _ols.Add(tSeconds / 3600, (value / baseline) - 1);
        if (tSeconds < _nextTest)
        {
            return false;
        }

        _nextTest += everySeconds;
        var (slope, _, mean) = _ols.Fit();
        return slope / (1 + mean) > 0.10;
    }
}
