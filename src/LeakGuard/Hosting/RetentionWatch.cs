namespace LeakGuard.Hosting;

/// <summary>
/// Objects the application expects to die (<see cref="ILeakMonitor.ExpectCollected"/>), held weakly. An object is
/// retained when it is still alive after its grace period and at least one generation-2 collection since it was
/// registered (before that, the GC simply has not looked). Bounded: beyond <see cref="Capacity"/> the oldest entries are dropped.
/// </summary>
internal sealed class RetentionWatch
{
    /// <summary>The most entries kept.</summary>
    public const int Capacity = 4096;

    /// <summary>How long an object may live after registration before it counts as retained.</summary>
    public static readonly TimeSpan GracePeriod = TimeSpan.FromSeconds(10);

    private readonly Queue<Entry> _entries = new();
    private readonly object _gate = new();

    /// <summary>Gets the number of entries dropped because the watch was full.</summary>
    public long Dropped { get; private set; }

    /// <summary>Gets a value indicating whether anything was ever watched (before that the signal is not reported).</summary>
    public bool Used { get; private set; }

    /// <summary>Watches an object.</summary>
    /// <param name="target">The object that should die.</param>
    /// <param name="label">Its label in reports.</param>
    /// <param name="now">The registration time.</param>
    /// <param name="gen2Count">The number of generation-2 collections so far.</param>
    public void Add(object target, string label, DateTimeOffset now, int gen2Count)
    {
        var entry = new Entry(new WeakReference(target), label, now, gen2Count);
        lock (_gate)
        {
            Used = true;
            if (_entries.Count >= Capacity)
            {
                _entries.Dequeue();
                Dropped++;
            }

            _entries.Enqueue(entry);
        }
    }

    /// <summary>Forgets collected objects and counts the retained ones.</summary>
    /// <param name="now">The current time.</param>
    /// <param name="gen2Count">The number of generation-2 collections so far.</param>
    /// <returns>The number of objects alive past their grace period and a full collection.</returns>
    public int CountRetained(DateTimeOffset now, int gen2Count)
    {
        lock (_gate)
        {
            var retained = 0;
            for (var i = _entries.Count; i > 0; i--)
            {
                var entry = _entries.Dequeue();
                if (!entry.Target.IsAlive)
                {
                    continue;
                }

                if (now - entry.Since >= GracePeriod && gen2Count > entry.Gen2AtStart)
                {
                    retained++;
                }

                _entries.Enqueue(entry);
            }

            return retained;
        }
    }

    private sealed record Entry(WeakReference Target, string Label, DateTimeOffset Since, int Gen2AtStart);
}
