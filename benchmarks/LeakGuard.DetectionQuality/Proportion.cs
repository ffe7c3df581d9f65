using System.Globalization;

namespace LeakGuard.DetectionQuality;

/// <summary>A count out of a total with its Wilson 95 % score interval (sound at 0 and near 0, unlike p ± 1.96·SE).</summary>
/// <param name="Count">The count.</param>
/// <param name="Total">The total.</param>
internal readonly record struct Proportion(int Count, int Total)
{
    private const double Z = 1.959963984540054;

    /// <summary>Gets the share (0 when the total is 0).</summary>
    public double Share => Total == 0 ? 0 : (double)Count / Total;

    /// <summary>Gets the interval's lower end.</summary>
    public double Lower => Bounds().Lower;

    /// <summary>Gets the interval's upper end.</summary>
    public double Upper => Bounds().Upper;

    /// <summary>Formats as "k / n (p %, 95 % CI a–b %)".</summary>
    /// <returns>The text.</returns>
    public override string ToString() => Total == 0
        ? "–"
        : string.Create(CultureInfo.InvariantCulture, $"{Count} / {Total} ({100 * Share:0.##} %, {100 * Lower:0.##}–{100 * Upper:0.##})");

    private (double Lower, double Upper) Bounds()
    {
        if (Total == 0)
        {
            return (0, 1);
        }

        var n = (double)Total;
        var p = Share;
        var denominator = 1 + (Z * Z / n);
        var centre = (p + (Z * Z / (2 * n))) / denominator;
        var half = Z / denominator * Math.Sqrt((p * (1 - p) / n) + (Z * Z / (4 * n * n)));
        return (Math.Max(0, centre - half), Math.Min(1, centre + half));
    }
}
