using Microsoft.Extensions.Options;

namespace LeakGuard.Hosting;

/// <summary>Runs both validators outside dependency injection, so <see cref="LeakMonitor.Start"/> fails with the same messages as a host start.</summary>
internal static class LeakGuardOptionsValidation
{
    /// <summary>Validates the options.</summary>
    /// <param name="options">The options.</param>
    /// <exception cref="OptionsValidationException">Any rule failed; the message lists every failure.</exception>
    public static void ThrowIfInvalid(LeakGuardOptions options)
    {
        var failures = new List<string>();
        foreach (var result in new[]
        {
            new LeakGuardOptionsValidator().Validate(Microsoft.Extensions.Options.Options.DefaultName, options),
            new LeakGuardOptionsRulesValidator().Validate(Microsoft.Extensions.Options.Options.DefaultName, options),
        })
        {
            if (result.Failed)
            {
                failures.AddRange(result.Failures);
            }
        }

        if (failures.Count > 0)
        {
            throw new OptionsValidationException(Microsoft.Extensions.Options.Options.DefaultName, typeof(LeakGuardOptions), failures);
        }
    }
}
