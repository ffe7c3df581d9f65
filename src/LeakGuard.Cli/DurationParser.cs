using System.Globalization;

namespace LeakGuard.Cli;

/// <summary>Reads durations such as <c>30s</c>, <c>10m</c>, <c>2h</c>, <c>1d</c>, <c>00:10:00</c> or plain seconds.</summary>
internal static class DurationParser
{
    /// <summary>The longest duration the CLI accepts for a window or a warm-up; longer ones are typing mistakes.</summary>
    public static readonly TimeSpan Longest = TimeSpan.FromDays(365);

    /// <summary>Parses a duration.</summary>
    /// <param name="text">The text.</param>
    /// <param name="duration">The duration.</param>
    /// <returns><see langword="true"/> when the text is a non-negative duration.</returns>
    public static bool TryParse(string text, out TimeSpan duration)
    {
        duration = default;
        text = text.Trim();
        if (text.Length == 0)
        {
            return false;
        }

        var unit = char.ToLowerInvariant(text[^1]);
        var scale = unit switch { 's' => 1.0, 'm' => 60.0, 'h' => 3600.0, 'd' => 86400.0, _ => 0.0 };
        var number = scale > 0 ? text[..^1] : text;
        if (double.TryParse(number, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) && double.IsFinite(value) && value >= 0)
        {
            // Beyond TimeSpan's range the caller sees MaxValue and refuses it as too long; it must not overflow here.
            var seconds = value * (scale > 0 ? scale : 1);
            duration = seconds < TimeSpan.MaxValue.TotalSeconds / 2 ? TimeSpan.FromSeconds(seconds) : TimeSpan.MaxValue;
            return true;
        }

        return TimeSpan.TryParse(text, CultureInfo.InvariantCulture, out duration) && duration >= TimeSpan.Zero;
    }
}
