using System.ComponentModel.DataAnnotations;
using System.Globalization;

namespace LeakGuard.Hosting;

/// <summary>
/// Checks that a setting lies in an inclusive range and, unlike <see cref="RangeAttribute"/>, names the
/// configuration key, the rejected value and the allowed range in its message, so a failed host start
/// tells the operator exactly which environment variable or JSON value to fix.
/// </summary>
[AttributeUsage(AttributeTargets.Property, AllowMultiple = false)]
internal sealed class SettingRangeAttribute : ValidationAttribute
{
    private readonly string _key;
    private readonly string _minimum;
    private readonly string _maximum;

    /// <summary>Initializes a new instance of the <see cref="SettingRangeAttribute"/> class.</summary>
    /// <param name="key">The configuration key below the <c>LeakGuard</c> section, for example <c>Detection:Window</c>.</param>
    /// <param name="minimum">The smallest allowed value, in invariant culture (<c>c</c> format for time spans).</param>
    /// <param name="maximum">The largest allowed value.</param>
    public SettingRangeAttribute(string key, string minimum, string maximum)
    {
        _key = key;
        _minimum = minimum;
        _maximum = maximum;
    }

    /// <summary>Builds the failure message for a value.</summary>
    /// <param name="key">The configuration key below the section.</param>
    /// <param name="value">The rejected value.</param>
    /// <param name="allowed">The allowed range or rule.</param>
    /// <returns>The message.</returns>
    public static string Describe(string key, object? value, string allowed) =>
        string.Create(
            CultureInfo.InvariantCulture,
            $"{LeakGuardOptions.SectionName}:{key} is {Format(value)}; allowed: {allowed}.");

    /// <inheritdoc />
    protected override ValidationResult? IsValid(object? value, ValidationContext validationContext)
    {
        var inRange = value switch
        {
            null => true,
            TimeSpan t => t >= TimeSpan.Parse(_minimum, CultureInfo.InvariantCulture) && t <= TimeSpan.Parse(_maximum, CultureInfo.InvariantCulture),
            double d => d >= Parse(_minimum) && d <= Parse(_maximum),
            long l => l >= Parse(_minimum) && l <= Parse(_maximum),
            int i => i >= Parse(_minimum) && i <= Parse(_maximum),
            _ => false,
        };

        if (inRange)
        {
            return ValidationResult.Success;
        }

        // No member names: the validator would prefix them ("SampleInterval: …"), and the message already names the full key.
        return new ValidationResult(Describe(_key, value, $"{_minimum} to {_maximum}"));
    }

    private static double Parse(string text) => double.Parse(text, NumberStyles.Float, CultureInfo.InvariantCulture);

    private static string Format(object? value) => value switch
    {
        null => "null",
        TimeSpan t => t.ToString("c", CultureInfo.InvariantCulture),
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString() ?? string.Empty,
    };
}
