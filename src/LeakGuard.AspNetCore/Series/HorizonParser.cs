using System.Globalization;

namespace LeakGuard.AspNetCore.Series;

/// <summary>Parses the <c>horizon</c> query value: a whole number followed by <c>s</c>, <c>m</c>, <c>h</c> or <c>d</c> (for example <c>15m</c>).</summary>
internal static class HorizonParser
{
    /// <summary>The horizon used when the query has none.</summary>
    public static readonly TimeSpan Default = TimeSpan.FromMinutes(15);

    /// <summary>The shortest horizon.</summary>
    public static readonly TimeSpan Minimum = TimeSpan.FromMinutes(1);

    /// <summary>The longest horizon.</summary>
    public static readonly TimeSpan Maximum = TimeSpan.FromDays(30);

    /// <summary>The message for a value that does not parse or is out of range.</summary>
    public const string Message = "Query parameter 'horizon' must be a whole number followed by s, m, h or d (for example 15m, 1h, 7d), between 1m and 30d.";

    /// <summary>Parses a horizon.</summary>
    /// <param name="text">The query value; <see langword="null"/> or empty means the default.</param>
    /// <param name="horizon">The horizon.</param>
    /// <returns><see langword="true"/> when the value is valid.</returns>
    public static bool TryParse(string? text, out TimeSpan horizon)
    {
        horizon = Default;
        if (string.IsNullOrEmpty(text))
        {
            return true;
        }

        if (text.Length < 2 || text.Length > 8
            || !int.TryParse(text.AsSpan(0, text.Length - 1), NumberStyles.None, CultureInfo.InvariantCulture, out var amount))
        {
            return false;
        }

        TimeSpan? value = char.ToLowerInvariant(text[^1]) switch
        {
            's' => TimeSpan.FromSeconds(amount),
            'm' => TimeSpan.FromMinutes(amount),
            'h' => TimeSpan.FromHours(amount),
            'd' => TimeSpan.FromDays(amount),
            _ => null,
        };
        if (value is not { } v || v < Minimum || v > Maximum)
        {
            return false;
        }

        horizon = v;
        return true;
    }
}
