namespace LeakGuard.Hosting;

/// <summary>An earlier lifetime's lowest reading of a signal in one clock hour (see <see cref="ISignalEvaluator.SeedPriorFloors"/>).</summary>
/// <param name="Hour">The start of the hour.</param>
/// <param name="Min">The lowest reading in it.</param>
/// <param name="LifetimeStartedAt">When the lifetime it belongs to started (floors of one lifetime share it).</param>
internal readonly record struct PriorFloor(DateTimeOffset Hour, double Min, DateTimeOffset LifetimeStartedAt);
