using LeakGuard.Hosting;

namespace LeakGuard;

/// <summary>Report-file settings (configuration section <c>LeakGuard:Reports</c>).</summary>
public sealed class ReportOptions
{
    /// <summary>Gets or sets the directory leak reports are written to as JSON files.</summary>
    /// <value>The default value is <see langword="null"/> (reports are kept in memory only).</value>
    public string? Directory { get; set; }

    /// <summary>Gets or sets how many report files are kept; older ones are deleted.</summary>
    /// <value>The default value is 20.</value>
    [SettingRange("Reports:MaxCount", "1", "10000")]
    public int MaxCount { get; set; } = 20;
}
