using LeakGuard.Buffering;

namespace LeakGuard.Hosting;

/// <summary>One signal's history, evaluator and latest verdict. Written by the loop only.</summary>
internal sealed class SignalChannel
{
    /// <summary>Initializes a new instance of the <see cref="SignalChannel"/> class.</summary>
    /// <param name="signal">The signal name.</param>
    /// <param name="series">The history.</param>
    /// <param name="evaluator">The evaluator.</param>
    /// <param name="initial">The verdict before any evaluation.</param>
    public SignalChannel(string signal, MultiResolutionSeries series, ISignalEvaluator evaluator, LeakVerdict initial)
    {
        Signal = signal;
        Series = series;
        Evaluator = evaluator;
        Verdict = initial;
    }

    /// <summary>Gets the signal name.</summary>
    public string Signal { get; }

    /// <summary>Gets the history.</summary>
    public MultiResolutionSeries Series { get; }

    /// <summary>Gets the evaluator.</summary>
    public ISignalEvaluator Evaluator { get; }

    /// <summary>Gets or sets the latest verdict.</summary>
    public LeakVerdict Verdict { get; set; }
}
