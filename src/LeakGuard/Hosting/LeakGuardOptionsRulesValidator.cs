using System.Globalization;
using Microsoft.Extensions.Options;

namespace LeakGuard.Hosting;

/// <summary>Validates the rules that span several settings, which attributes cannot express.</summary>
internal sealed class LeakGuardOptionsRulesValidator : IValidateOptions<LeakGuardOptions>
{
    /// <summary>The detector needs enough samples per window to tell a trend from noise.</summary>
    public const int MinSamplesPerWindow = 10;

    /// <inheritdoc />
    public ValidateOptionsResult Validate(string? name, LeakGuardOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var builder = new ValidateOptionsResultBuilder();
        if (options.Detection is null || options.Snapshots is null || options.Reports is null || options.Recycle is null || options.Health is null)
        {
            builder.AddError("LeakGuard: the Detection, Snapshots, Reports, Recycle and Health sections must not be null.");
            return builder.Build();
        }

        // An interval beyond TimeSpan.MaxValue / 10 is out of its own range (reported by the range validator);
        // multiplying it would throw an OverflowException instead of a message naming the key.
        if (options.SampleInterval <= TimeSpan.MaxValue / MinSamplesPerWindow
            && options.Detection.Window < options.SampleInterval * MinSamplesPerWindow)
        {
            builder.AddError(SettingRangeAttribute.Describe(
                "Detection:Window",
                options.Detection.Window,
                string.Create(CultureInfo.InvariantCulture, $"at least {MinSamplesPerWindow} × SampleInterval = {(options.SampleInterval * MinSamplesPerWindow).ToString("c", CultureInfo.InvariantCulture)}")));
        }

        if (!Enum.IsDefined(options.Detection.Sensitivity))
        {
            builder.AddError(SettingRangeAttribute.Describe("Detection:Sensitivity", options.Detection.Sensitivity, "Low, Normal or High"));
        }

        if (!Enum.IsDefined(options.Snapshots.Mode))
        {
            builder.AddError(SettingRangeAttribute.Describe("Snapshots:Mode", options.Snapshots.Mode, "Off, OnSuspicion or Manual"));
        }

        if (options.Recycle.Enabled && options.Recycle.For < options.SampleInterval)
        {
            builder.AddError(SettingRangeAttribute.Describe(
                "Recycle:For",
                options.Recycle.For,
                string.Create(CultureInfo.InvariantCulture, $"at least SampleInterval ({options.SampleInterval.ToString("c", CultureInfo.InvariantCulture)}) when Recycle:Enabled is true")));
        }

        CheckDirectory(builder, "StateDirectory", options.StateDirectory);
        CheckDirectory(builder, "Reports:Directory", options.Reports.Directory);
        return builder.Build();
    }

    private static void CheckDirectory(ValidateOptionsResultBuilder builder, string key, string? path)
    {
        if (path is not null && (path.Length == 0 || string.IsNullOrWhiteSpace(path) || path.IndexOfAny(Path.GetInvalidPathChars()) >= 0))
        {
            builder.AddError(SettingRangeAttribute.Describe(key, $"\"{path}\"", "unset or a valid directory path"));
        }
    }
}
