using Microsoft.Extensions.Logging;

namespace LeakGuard.Hosting;

/// <summary>The <see cref="ILeakMonitor.VerdictChanges"/> stream: a minimal subject (no Rx dependency) whose observers' exceptions are logged and swallowed.</summary>
internal sealed class VerdictBroadcaster : IObservable<LeakVerdict>
{
    private readonly ILogger _logger;
    private IObserver<LeakVerdict>[] _observers = [];
    private bool _completed;

    /// <summary>Initializes a new instance of the <see cref="VerdictBroadcaster"/> class.</summary>
    /// <param name="logger">Logs observers' exceptions.</param>
    public VerdictBroadcaster(ILogger logger) => _logger = logger;

    /// <inheritdoc />
    public IDisposable Subscribe(IObserver<LeakVerdict> observer)
    {
        ArgumentNullException.ThrowIfNull(observer);
        if (Volatile.Read(ref _completed))
        {
            observer.OnCompleted();
            return new Subscription(this, observer);
        }

        Update(observers => [.. observers, observer]);
        return new Subscription(this, observer);
    }

    /// <summary>Sends a verdict to every observer.</summary>
    /// <param name="verdict">The verdict.</param>
    public void Publish(LeakVerdict verdict)
    {
        foreach (var observer in Volatile.Read(ref _observers))
        {
            try
            {
                observer.OnNext(verdict);
            }
#pragma warning disable CA1031 // A user's observer must never break the monitor.
            catch (Exception ex)
#pragma warning restore CA1031
            {
                Log.HandlerFailed(_logger, ex);
            }
        }
    }

    /// <summary>Completes the stream (the monitor stopped).</summary>
    public void Complete()
    {
        Volatile.Write(ref _completed, true);
        foreach (var observer in Interlocked.Exchange(ref _observers, []))
        {
            try
            {
                observer.OnCompleted();
            }
#pragma warning disable CA1031 // A user's observer must never break the monitor.
            catch (Exception ex)
#pragma warning restore CA1031
            {
                Log.HandlerFailed(_logger, ex);
            }
        }
    }

    private void Update(Func<IObserver<LeakVerdict>[], IObserver<LeakVerdict>[]> change)
    {
        while (true)
        {
            var current = Volatile.Read(ref _observers);
            if (Interlocked.CompareExchange(ref _observers, change(current), current) == current)
            {
                return;
            }
        }
    }

    private sealed class Subscription(VerdictBroadcaster owner, IObserver<LeakVerdict> observer) : IDisposable
    {
        public void Dispose() => owner.Update(observers => Array.FindAll(observers, o => !ReferenceEquals(o, observer)));
    }
}
