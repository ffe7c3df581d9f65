namespace LeakGuard.Telemetry;

/// <summary>The loaded dynamic and collectible assemblies, as the metrics report them (-1 when unknown).</summary>
/// <param name="Dynamic">The dynamic ones.</param>
/// <param name="Collectible">The collectible ones.</param>
internal sealed record AssemblyKinds(long Dynamic, long Collectible);
