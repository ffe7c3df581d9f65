using LeakGuard.Buffering;
using LeakGuard.Detection;

namespace LeakGuard.Hosting;

/// <summary>The production <see cref="ISignalEvaluator"/>: one stateful <see cref="SignalDetector"/> per signal.</summary>
/// <param name="detector">The detector.</param>
internal sealed class DetectorEvaluator(SignalDetector detector) : ISignalEvaluator
{
    /// <inheritdoc />
    public LeakVerdict Evaluate(DateTimeOffset now, MultiResolutionSeries history, double? limit) => detector.Evaluate(now, history, limit);

    /// <inheritdoc />
    public void Restart(DateTimeOffset disturbedUntil) => detector.Restart(disturbedUntil);

    /// <inheritdoc />
    public void SetPartsRising(bool? partsRising) => detector.PartsRising = partsRising;

    /// <inheritdoc />
    public bool AwaitsFullCollection => detector.AwaitsFullCollection;

    /// <inheritdoc />
    public bool? RisesLive => detector.RisesLive;

    /// <inheritdoc />
    public void SetLimitSlack(double bytes) => detector.LimitSlack = bytes;

    /// <inheritdoc />
    public void SeedPriorFloors(IReadOnlyList<PriorFloor> floors)
    {
        ArgumentNullException.ThrowIfNull(floors);
        detector.PriorCycle = PriorCycle.Fit([.. floors.Select(f => f.Hour)], [.. floors.Select(f => f.Min)], [.. floors.Select(f => f.LifetimeStartedAt)]);
    }

    /// <inheritdoc />
    public void SetFullCollection(FullCollection? lastFullCollection)
    {
        detector.InflatedBetweenFullCollections = true;
        detector.LastFullCollection = lastFullCollection;
    }
}
