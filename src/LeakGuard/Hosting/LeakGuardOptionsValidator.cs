using Microsoft.Extensions.Options;

namespace LeakGuard.Hosting;

/// <summary>Validates the range of every setting (source-generated from the attributes on the options classes).</summary>
[OptionsValidator]
internal sealed partial class LeakGuardOptionsValidator : IValidateOptions<LeakGuardOptions>
{
}
