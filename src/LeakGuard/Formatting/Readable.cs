using System.Globalization;

namespace LeakGuard.Formatting;

/// <summary>
/// The one way LeakGuard writes amounts, rates and durations for people, shared by the logs, the health check,
/// the CLI and the dashboard: binary units (KiB, MiB, GiB), at most three significant digits, rates per minute
/// or per hour with their unit, and durations split into whole units ("2 d 9 h", "6 h 59 min", never "6 h 60 min").
/// Invariant culture throughout.
/// </summary>
internal static class Readable
{
    /// <summary>What a missing or non-finite value prints as.</summary>
    public const string None = "–";

    private static readonly string[] ByteUnits = ["B", "KiB", "MiB", "GiB", "TiB", "PiB"];

    /// <summary>Formats a byte amount with a binary unit, e.g. <c>512 B</c>, <c>1.50 KiB</c>, <c>12.3 MiB</c>, <c>123 MiB</c>.</summary>
    /// <param name="bytes">The amount (may be negative).</param>
    /// <returns>The text.</returns>
    public static string Bytes(double bytes)
    {
        if (!double.IsFinite(bytes))
        {
            return None;
        }

        var x = Math.Abs(bytes);
        var unit = 0;

        // Switch unit at 1000 rather than 1024 so the number always has at most three digits ("0.98 MiB", not "1000 KiB").
        while (unit < ByteUnits.Length - 1 && Math.Round(x, Decimals(x, unit)) >= 1000)
        {
            x /= 1024;
            unit++;
        }

        var text = x.ToString(NumberFormat(x, unit), CultureInfo.InvariantCulture);
        return (bytes < 0 && text.Any(c => c is >= '1' and <= '9') ? "-" : string.Empty) + text + " " + ByteUnits[unit];
    }

    /// <summary>Formats a count: whole numbers with thousands separators (<c>14,400</c>), small fractions with up to three significant digits (<c>0.25</c>).</summary>
    /// <param name="value">The count.</param>
    /// <returns>The text.</returns>
    public static string Count(double value)
    {
        if (!double.IsFinite(value))
        {
            return None;
        }

        var x = Math.Abs(value);
        if (x >= 100 || x == Math.Round(x))
        {
            return Math.Round(value).ToString("#,0", CultureInfo.InvariantCulture);
        }

        return value.ToString(x >= 10 ? "0.#" : x >= 1 ? "0.##" : "0.###", CultureInfo.InvariantCulture);
    }

    /// <summary>Formats an amount of a signal: bytes for memory signals, a count otherwise.</summary>
    /// <param name="value">The amount.</param>
    /// <param name="isBytes">Whether the amount is in bytes.</param>
    /// <returns>The text.</returns>
    public static string Amount(double value, bool isBytes) => isBytes ? Bytes(value) : Count(value);

    /// <summary>
    /// Formats a duration in at most two whole units: <c>250 ms</c>, <c>45 s</c>, <c>12 min</c>, <c>6 h 59 min</c>,
    /// <c>2 d 9 h</c>, <c>412 d</c>. The value is rounded to the smallest unit shown before it is split, so a unit
    /// never shows its full count ("7 h", not "6 h 60 min").
    /// </summary>
    /// <param name="span">The duration (negative counts as zero).</param>
    /// <returns>The text.</returns>
    public static string Duration(TimeSpan span)
    {
        if (span == TimeSpan.MaxValue)
        {
            return "never";
        }

        var seconds = Math.Max(0, span.TotalSeconds);
        if (seconds == 0)
        {
            return "0 s";
        }

        if (seconds < 1)
        {
            var ms = Math.Round(seconds * 1000);
            return ms >= 1000 ? "1 s" : string.Create(CultureInfo.InvariantCulture, $"{ms:0} ms");
        }

        var totalSeconds = (long)Math.Round(seconds);
        if (totalSeconds < 60)
        {
            return string.Create(CultureInfo.InvariantCulture, $"{totalSeconds} s");
        }

        var totalMinutes = (long)Math.Round(seconds / 60);
        if (totalMinutes < 60)
        {
            return string.Create(CultureInfo.InvariantCulture, $"{totalMinutes} min");
        }

        if (totalMinutes < 48 * 60)
        {
            return Two(totalMinutes / 60, "h", totalMinutes % 60, "min");
        }

        var totalHours = (long)Math.Round(seconds / 3600);
        if (totalHours < 30 * 24)
        {
            return Two(totalHours / 24, "d", totalHours % 24, "h");
        }

        return string.Create(CultureInfo.InvariantCulture, $"{Math.Round(seconds / 86400):#,0} d");
    }

    /// <summary>Formats a duration given in seconds (see <see cref="Duration(TimeSpan)"/>).</summary>
    /// <param name="seconds">The seconds.</param>
    /// <returns>The text, or <see cref="None"/> for a non-finite value.</returns>
    public static string Duration(double seconds) => !double.IsFinite(seconds) ? None
        : seconds >= TimeSpan.MaxValue.TotalSeconds ? "never"
        : Duration(TimeSpan.FromSeconds(seconds));

    /// <summary>
    /// Formats a growth rate with its unit and sign: bytes per minute when that is at least 1 MiB
    /// (<c>+36.0 MiB/min</c>), else bytes per hour (<c>+512 KiB/h</c>); counts per hour (<c>+14,400/h</c>).
    /// </summary>
    /// <param name="perSecond">The rate per second.</param>
    /// <param name="isBytes">Whether the signal is in bytes.</param>
    /// <returns>The text.</returns>
    public static string Rate(double perSecond, bool isBytes)
    {
        if (!double.IsFinite(perSecond))
        {
            return None;
        }

        var (factor, suffix) = RateUnit(perSecond, isBytes);
        return Signed(perSecond * factor, isBytes) + suffix;
    }

    /// <summary>Formats a rate and its confidence interval in one unit, e.g. <c>+36.0 MiB/min (95 % CI +30.1 … +41.2 MiB/min)</c>.</summary>
    /// <param name="perSecond">The rate per second.</param>
    /// <param name="lowerPerSecond">The interval's lower bound per second.</param>
    /// <param name="upperPerSecond">The interval's upper bound per second.</param>
    /// <param name="isBytes">Whether the signal is in bytes.</param>
    /// <returns>The text.</returns>
    public static string RateWithInterval(double perSecond, double lowerPerSecond, double upperPerSecond, bool isBytes)
    {
        var rate = Rate(perSecond, isBytes);
        if (!double.IsFinite(perSecond) || !double.IsFinite(lowerPerSecond) || !double.IsFinite(upperPerSecond))
        {
            return rate;
        }

        var (factor, suffix) = RateUnit(perSecond, isBytes);
        var lower = Signed(lowerPerSecond * factor, isBytes);
        var upper = Signed(upperPerSecond * factor, isBytes);

        // One unit written once when both bounds share it ("+28.6 … +40.1 MiB/min"), both otherwise ("+512 KiB … +1.20 MiB/min").
        if (isBytes && upper[upper.LastIndexOf(' ')..] is var unit && lower.EndsWith(unit, StringComparison.Ordinal))
        {
            lower = lower[..^unit.Length];
        }

        return $"{rate} (95 % CI {lower} … {upper}{suffix})";
    }

    private static (double Factor, string Suffix) RateUnit(double perSecond, bool isBytes) =>
        isBytes && Math.Abs(perSecond * 60) >= 1024 * 1024 ? (60, "/min") : (3600, "/h");

    private static string Signed(double value, bool isBytes)
    {
        var text = Amount(value, isBytes);
        return value > 0 && text.Any(c => c is >= '1' and <= '9') ? "+" + text : text;
    }

    private static string Two(long major, string majorUnit, long minor, string minorUnit) => minor == 0
        ? string.Create(CultureInfo.InvariantCulture, $"{major} {majorUnit}")
        : string.Create(CultureInfo.InvariantCulture, $"{major} {majorUnit} {minor} {minorUnit}");

    private static int Decimals(double x, int unit) =>
        unit == 0 || Math.Round(x, 1) >= 100 ? 0 : Math.Round(x, 2) >= 10 ? 1 : 2;

    private static string NumberFormat(double x, int unit) => Decimals(x, unit) switch
    {
        0 => "0",
        1 => "0.0",
        _ => "0.00",
    };
}
