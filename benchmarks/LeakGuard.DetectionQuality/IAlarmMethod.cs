namespace LeakGuard.DetectionQuality;

/// <summary>A leak detector under evaluation: fed one sample at a time, says when it first raises an alarm.</summary>
internal interface IAlarmMethod
{
    string Name { get; }

    /// <summary>Starts a new series.</summary>
    void Reset();

    /// <summary>Feeds a sample; returns true while the method is alarming.</summary>
    bool Step(double tSeconds, double value);
}
