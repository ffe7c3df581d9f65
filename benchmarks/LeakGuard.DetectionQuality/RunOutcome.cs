using LeakGuard.Detection;
using LeakGuard.DetectionQuality.Generation;

namespace LeakGuard.DetectionQuality;

/// <summary>What the detector did on one generated run; times are seconds after the run's first sample.</summary>
internal sealed class RunOutcome
{
    /// <summary>Gets the family.</summary>
    public required Family Family { get; init; }

    /// <summary>Gets the drawn parameters.</summary>
    public required RunParameters Parameters { get; init; }

    /// <summary>Gets when the series ends (the last sample).</summary>
    public required double End { get; init; }

    /// <summary>Gets the first time the state was Suspected or Leaking.</summary>
    public double? FirstSuspected { get; init; }

    /// <summary>Gets the first time the state was Leaking.</summary>
    public double? FirstLeaking { get; init; }

    /// <summary>Gets, for a leak run, the first time at or after the onset that the state was Leaking.</summary>
    public double? Detected { get; init; }

    /// <summary>Gets the last verdict's state, or <see langword="null"/> when the detector never ran.</summary>
    public LeakState? Final { get; init; }

    /// <summary>Gets the reason the first Leaking verdict gave (which question raised it), or <see langword="null"/>.</summary>
    public string? LeakingReason { get; init; }

    /// <summary>Gets the replay's finest bucket, in seconds (the grain a rise is first judged at).</summary>
    public required double FinestBucket { get; init; }

    /// <summary>Gets the replay's warm-up, in seconds.</summary>
    public required double WarmUp { get; init; }

    /// <summary>Gets the replay's window, in seconds (the least watched life judged).</summary>
    public required double Window { get; init; }

    /// <summary>Gets how long generating and replaying the run took, in seconds.</summary>
    public double Elapsed { get; init; }

    /// <summary>Gets the leak's onset, or <see langword="null"/> for a healthy run.</summary>
    public double? Onset => Parameters.LeakRate > 0 ? Parameters.LeakOnset : null;

    /// <summary>Gets a value indicating whether the run ended because the leak exhausted its limit.</summary>
    public bool EndedAtExhaustion => Parameters.Exhaustion is { } e && e <= Parameters.Length;

    /// <summary>The leak rate (a share of the level per hour) from which a leak counts as fast: the target asks that it be Leaking within 24 h.</summary>
    public const double FastRate = 0.02;

    /// <summary>
    /// Gets whether a leak run was Leaking before its leak began: a false alarm. Such a run says nothing about how soon
    /// the leak itself was called (a Leaking state that began before the onset and lasted past it is not a detection), so
    /// it is left out of "within 24 h" and of the lead time, and counted as a false alarm.
    /// </summary>
    public bool AlarmedBeforeOnset => Onset is { } onset && FirstLeaking < onset;

    /// <summary>
    /// Gets whether a leak run counts towards "Leaking within 24 h of the onset": it was watched for 24 h after the
    /// onset, or it ended earlier because memory ran out (then Leaking had to come before that), and it was not Leaking
    /// before the onset (<see cref="AlarmedBeforeOnset"/>).
    /// </summary>
    public bool JudgedWithinDay => Onset is { } onset && !AlarmedBeforeOnset && (End - onset >= 24 * 3600 || EndedAtExhaustion);

    /// <summary>Gets a value indicating whether Leaking came within 24 h of the onset (and before the series ended).</summary>
    public bool DetectedWithinDay => Detected is { } d && d - Parameters.LeakOnset <= 24 * 3600;

    /// <summary>
    /// Gets, for a leak run that ran into its limit and was not Leaking before the onset (<see cref="AlarmedBeforeOnset"/>),
    /// the share of the onset-to-exhaustion time already gone when Leaking was first raised (1 when it never was).
    /// </summary>
    public double? LeadShare => EndedAtExhaustion && !AlarmedBeforeOnset
        ? Detected is { } d ? (d - Parameters.LeakOnset) / (Parameters.Exhaustion!.Value - Parameters.LeakOnset) : 1
        : null;

    /// <summary>
    /// Gets, for a leak of at least 2 %/h judged on the day after its onset (<see cref="JudgedWithinDay"/>), whether its
    /// data could show a leak in that time, as the detector reads data: <see cref="FastLeakData.TooLittle"/> when the series
    /// ended (memory ran out) before the rise spanned <see cref="GrowthComparison.MinRampPoints"/> finest buckets, or before
    /// the life after the warm-up spanned the window and <see cref="GrowthComparison.MinPoints"/> finest buckets (no
    /// judgement was possible); <see cref="FastLeakData.FewSteps"/> for a staircase of at most
    /// <see cref="GrowthComparison.MaxLevels"/> − 1 steps in that time, which the bounded side's level shifts (up to
    /// <see cref="GrowthComparison.MaxLevels"/> levels) fit exactly; otherwise <see cref="FastLeakData.Enough"/> (the data
    /// could show it). Computed from the drawn parameters and the replay's settings only, never from what the detector said.
    /// </summary>
    public FastLeakData? FastData
    {
        get
        {
            if (Onset is not { } onset || Parameters.LeakRate < FastRate || !JudgedWithinDay)
            {
                return null;
            }

            var watched = Math.Min(End, onset + (24 * 3600)) - onset;
            if (watched < GrowthComparison.MinRampPoints * FinestBucket || End - WarmUp < Math.Max(Window, GrowthComparison.MinPoints * FinestBucket))
            {
                return FastLeakData.TooLittle;
            }

            return Parameters.LeakStep > 0 && Math.Floor(watched / Parameters.LeakStep) + 1 <= GrowthComparison.MaxLevels - 1
                ? FastLeakData.FewSteps
                : FastLeakData.Enough;
        }
    }

    /// <summary>Gets, for a fast leak not Leaking within a day of its onset, why (<see cref="FastData"/>); otherwise <see langword="null"/>.</summary>
    public FastLeakData? Miss => DetectedWithinDay ? null : FastData;
}

/// <summary>Whether a fast leak's data could show it to the detector within a day of its onset (see <see cref="RunOutcome.FastData"/>).</summary>
internal enum FastLeakData
{
    /// <summary>Memory ran out before the data could show a rise to the detector.</summary>
    TooLittle,

    /// <summary>A staircase of so few steps in that time that level shifts explain it exactly.</summary>
    FewSteps,

    /// <summary>The data could show the rise: a miss is the detector's own.</summary>
    Enough,
}
