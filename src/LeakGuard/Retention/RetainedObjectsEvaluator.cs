using System.Globalization;
using LeakGuard.Buffering;
using LeakGuard.Hosting;

namespace LeakGuard.Retention;

/// <summary>
/// Judges the <c>retained_objects</c> signal by count, not by trend: an object that outlived its grace period and a
/// full collection is evidence on its own. Any retained object makes the signal suspected; the threshold makes it leaking.
/// </summary>
/// <param name="threshold">The retained count at which the signal is leaking.</param>
internal sealed class RetainedObjectsEvaluator(int threshold) : ISignalEvaluator
{
    private readonly SignalPoint[] _latest = new SignalPoint[1];
    private LeakState _state = LeakState.InsufficientData;
    private DateTimeOffset _since;

    /// <inheritdoc />
    public LeakVerdict Evaluate(DateTimeOffset now, MultiResolutionSeries history, double? limit)
    {
        ArgumentNullException.ThrowIfNull(history);
        if (history[0].CopyClosed(_latest) == 0)
        {
            return Verdict(now, LeakState.InsufficientData, 0, "No retention check yet.");
        }

        var retained = Math.Max(0, _latest[0].Last);
        var state = retained >= threshold ? LeakState.Leaking : retained > 0 ? LeakState.Suspected : LeakState.Stable;
        var reason = retained > 0
            ? string.Create(CultureInfo.InvariantCulture, $"{retained:0} watched object(s) outlived their grace period and a full GC (threshold {threshold}).")
            : "Every watched object past its grace period was collected.";
        return Verdict(now, state, retained, reason);
    }

    private LeakVerdict Verdict(DateTimeOffset now, LeakState state, double retained, string reason)
    {
        if (state != _state)
        {
            _state = state;
            _since = now;
        }

        return new LeakVerdict
        {
            Signal = LeakSignals.RetainedObjects,
            State = state,
            EvaluatedAt = now,
            Since = _since,
            CurrentValue = retained,
            Reason = reason,
        };
    }
}
