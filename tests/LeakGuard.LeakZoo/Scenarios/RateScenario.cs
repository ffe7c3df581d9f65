namespace LeakGuard.LeakZoo.Scenarios;

/// <summary>
/// A scenario that performs one unit of work (one request) at a steady rate.
/// The number of units due is derived from the elapsed time so timer jitter and CPU starvation on a
/// shared CI machine change the burst size, never the average rate.
/// </summary>
internal abstract class RateScenario : IZooScenario
{
    private readonly double _unitsPerSecond;
    private long _done;

    protected RateScenario(double unitsPerSecond) => _unitsPerSecond = unitsPerSecond;

    public abstract string Description { get; }

    public virtual long Units => _done;

    public void Advance(double elapsedSeconds)
    {
        var due = (long)(elapsedSeconds * _unitsPerSecond);
        while (_done < due)
        {
            RunOnce(_done);
            _done++;
        }
    }

    public virtual void Stop()
    {
    }

    /// <summary>Performs one unit of work.</summary>
    /// <remarks>
    /// Overrides are marked <c>[MethodImpl(MethodImplOptions.NoInlining)]</c>: a unit stands for a request handler, which
    /// in a service is a method of its own; a one-line override is otherwise inlined into the driver's loop (dynamic PGO
    /// devirtualises the call), and a sampled allocation stack then names the loop, not the scenario
    /// (docs/investigation.md, "Inlined methods").
    /// </remarks>
    /// <param name="sequence">The unit's sequence number, from 0.</param>
    protected abstract void RunOnce(long sequence);
}
