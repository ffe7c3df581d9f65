using System.Globalization;
using LeakGuard.Investigation;

namespace LeakGuard.AspNetCore.Json;

/// <summary>
/// A report's id: the second snapshot's time in Unix milliseconds. Stable while the bounded report list
/// drops old entries (an index would shift), and two investigations never finish in the same millisecond.
/// </summary>
internal static class ReportId
{
    /// <summary>Returns the id of a report.</summary>
    /// <param name="report">The report.</param>
    /// <returns>The id.</returns>
    public static string Of(LeakReport report) =>
        report.Snapshots.After.ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture);

    /// <summary>Returns whether a string has the shape of an id.</summary>
    /// <param name="value">The string.</param>
    /// <returns><see langword="true"/> for an integer number of milliseconds.</returns>
    public static bool IsWellFormed(string? value) =>
        value is { Length: > 0 and <= 19 } && long.TryParse(value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out _);
}
