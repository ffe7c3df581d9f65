namespace LeakGuard.DetectionQuality;

/// <summary>Ordinary least squares over a sliding window of samples, updated in O(1) per sample.</summary>
internal sealed class RollingOls(int capacity)
{
    private readonly double[] _x = new double[capacity];
    private readonly double[] _y = new double[capacity];
    private int _count;
    private int _next;
    private double _sx;
    private double _sy;
    private double _sxx;
    private double _sxy;
    private double _syy;

    public int Count => _count;

    public void Reset()
    {
        _count = _next = 0;
        _sx = _sy = _sxx = _sxy = _syy = 0;
    }

    public void Add(double x, double y)
    {
        if (_count == capacity)
        {
            Remove(_x[_next], _y[_next]);
        }
        else
        {
            _count++;
        }

        _x[_next] = x;
        _y[_next] = y;
        _next = (_next + 1) % capacity;
        _sx += x;
        _sy += y;
        _sxx += x * x;
        _sxy += x * y;
        _syy += y * y;
    }

    /// <summary>Slope, its t-statistic and the mean of y.</summary>
    public (double Slope, double T, double MeanY) Fit()
    {
        var n = (double)_count;
        var sxx = _sxx - (_sx * _sx / n);
        var sxy = _sxy - (_sx * _sy / n);
        var syy = _syy - (_sy * _sy / n);
        if (n < 3 || sxx <= 0)
        {
            return (0, 0, _sy / Math.Max(n, 1));
        }

        var slope = sxy / sxx;
        var sse = Math.Max(syy - (slope * sxy), 1e-300);
        var se = Math.Sqrt(sse / (n - 2) / sxx);
        return (slope, slope / se, _sy / n);
    }

    private void Remove(double x, double y)
    {
        _sx -= x;
        _sy -= y;
        _sxx -= x * x;
        _sxy -= x * y;
        _syy -= y * y;
    }
}
