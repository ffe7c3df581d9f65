using LeakGuard.Detection;
using LeakGuard.Buffering;
using LeakGuard.Hosting;

namespace LeakGuard.Tests.Hosting.Fakes;

/// <summary>Returns the state the test sets for its signal; counts evaluations.</summary>
internal sealed class ScriptedEvaluator(string signal, ScriptedVerdicts script) : ISignalEvaluator
{
    public LeakVerdict Evaluate(DateTimeOffset now, MultiResolutionSeries history, double? limit)
    {
        script.Evaluations++;
        script.EvaluationsOf[signal] = script.EvaluationsOf.GetValueOrDefault(signal) + 1;
        script.Limits[signal] = limit;
        var state = script.States.TryGetValue(signal, out var s) ? s : LeakState.Stable;
        return new LeakVerdict
        {
            Signal = signal,
            State = state,
            EvaluatedAt = now,
            Since = now,
            GrowthRatePerSecond = state >= LeakState.Suspected ? 1000 : 0,
            TimeToLimit = script.TimeToLimit.TryGetValue(signal, out var ttl) ? ttl : null,
            TimeToLimitEarliest = script.TimeToLimit.TryGetValue(signal, out var earliest) ? earliest * 0.8 : null,
            Reason = "scripted",
        };
    }

    public bool AwaitsFullCollection => script.AwaitingFullCollection.Contains(signal);

    public void SetFullCollection(FullCollection? lastFullCollection) => script.FullCollections[signal] = lastFullCollection;

    public void SetLimitSlack(double bytes) => script.Slacks[signal] = bytes;

    public void SeedPriorFloors(IReadOnlyList<PriorFloor> floors) => script.PriorFloors[signal] = floors;

    public void Restart(DateTimeOffset disturbedUntil)
    {
        lock (script.Restarts)
        {
            script.Restarts.Add((signal, disturbedUntil));
        }
    }
}
