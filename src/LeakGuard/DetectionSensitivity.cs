namespace LeakGuard;

/// <summary>How readily the detector calls growth a leak: a trade between detection delay and false alarms.</summary>
public enum DetectionSensitivity
{
    /// <summary>Fewer false alarms, slower detection.</summary>
    Low = 0,

    /// <summary>The balance measured in docs/detection-quality.md.</summary>
    Normal = 1,

    /// <summary>Faster detection, more false alarms.</summary>
    High = 2,
}
