namespace LeakGuard.AspNetCore.Series;

/// <summary>
/// The recent verdict changes of every signal, kept from the moment the dashboard is mapped (the monitor itself keeps only
/// each signal's current verdict), so the charts mark every change inside their horizon, not only the latest.
/// Bounded: the last <see cref="PerSignal"/> changes per signal, at most <see cref="MaxSignals"/> signals.
/// </summary>
internal sealed class VerdictHistory : IObserver<LeakVerdict>, IDisposable
{
    /// <summary>The changes kept per signal.</summary>
    public const int PerSignal = 64;

    /// <summary>The signals kept (built-in signals and watched gauges).</summary>
    public const int MaxSignals = 256;

    private readonly Dictionary<string, Queue<LeakVerdict>> _changes = new(StringComparer.Ordinal);
    private readonly object _gate = new();
    private IDisposable? _subscription;

    /// <summary>Starts recording the monitor's verdict changes.</summary>
    /// <param name="changes">The monitor's stream of verdict changes.</param>
    /// <returns>The history.</returns>
    public static VerdictHistory Attach(IObservable<LeakVerdict> changes)
    {
        ArgumentNullException.ThrowIfNull(changes);
        var history = new VerdictHistory();
        history._subscription = changes.Subscribe(history);
        return history;
    }

    /// <summary>Returns a signal's recorded changes, oldest first.</summary>
    /// <param name="signal">The signal.</param>
    /// <returns>The changes.</returns>
    public IReadOnlyList<LeakVerdict> Of(string signal)
    {
        lock (_gate)
        {
            return _changes.TryGetValue(signal, out var queue) ? [.. queue] : [];
        }
    }

    /// <inheritdoc />
    public void OnNext(LeakVerdict value)
    {
        if (value is null)
        {
            return;
        }

        lock (_gate)
        {
            if (!_changes.TryGetValue(value.Signal, out var queue))
            {
                if (_changes.Count >= MaxSignals)
                {
                    return;
                }

                queue = new Queue<LeakVerdict>();
                _changes[value.Signal] = queue;
            }

            if (queue.Count == PerSignal)
            {
                queue.Dequeue();
            }

            queue.Enqueue(value);
        }
    }

    /// <inheritdoc />
    public void OnError(Exception error)
    {
    }

    /// <inheritdoc />
    public void OnCompleted()
    {
    }

    /// <inheritdoc />
    public void Dispose() => _subscription?.Dispose();
}
