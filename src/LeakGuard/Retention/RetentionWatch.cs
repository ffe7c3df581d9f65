using System.Globalization;

namespace LeakGuard.Retention;

/// <summary>
/// Objects the application expects to die (<see cref="ILeakMonitor.ExpectCollected"/>), held only by weak references.
/// An object counts as retained when it is alive after its grace period and a full (generation-2) collection has
/// run since the grace period passed — before that, the GC has not had the chance to reclaim it (LeakCanary's rule,
/// with the full GC observed rather than forced: forcing one would pause a production application).
/// </summary>
/// <remarks>
/// Bounded however many objects are registered: at most <see cref="RetentionOptions.MaxWatchedObjects"/> slots.
/// When full, dead entries are pruned; if it is still full the registration is dropped and counted (the oldest live
/// entries are the likeliest evidence of a leak, so they are kept). Slots and their weak references are reused:
/// no allocation per registration once the slots exist.
/// </remarks>
internal sealed class RetentionWatch
{
    private const int MaxLabelsPerType = 10;
    private readonly object _gate = new();
    private readonly int _capacity;
    private readonly TimeSpan _grace;
    private Slot[] _slots;
    private int _count;
    private bool _saturated;
    private long _dropped;

    /// <summary>Initializes a new instance of the <see cref="RetentionWatch"/> class.</summary>
    /// <param name="options">The grace period and capacity.</param>
    public RetentionWatch(RetentionOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        _capacity = Math.Max(1, options.MaxWatchedObjects);
        _grace = options.GracePeriod;
        _slots = new Slot[Math.Min(_capacity, 64)];
    }

    /// <summary>Gets the number of registrations dropped because the watch was full of live objects.</summary>
    public long Dropped => Interlocked.Read(ref _dropped);

    /// <summary>Gets the number of objects watched now (alive or not yet checked).</summary>
    public int Watched
    {
        get
        {
            lock (_gate)
            {
                return _count;
            }
        }
    }

    /// <summary>Watches an object.</summary>
    /// <param name="target">The object that should die; only a weak reference to it is kept.</param>
    /// <param name="label">Its label in logs and reports.</param>
    /// <param name="now">The registration time.</param>
    /// <returns><see langword="false"/> when the watch was full and the object is not watched.</returns>
    public bool Add(object target, string label, DateTimeOffset now)
    {
        lock (_gate)
        {
            if (_count == _slots.Length && !MakeRoom())
            {
                _dropped++;
                return false;
            }

            ref var slot = ref _slots[_count++];
            if (slot.Reference is { } reference)
            {
                reference.Target = target;
            }
            else
            {
                slot.Reference = new WeakReference(target);
            }

            slot.Label = label;
            slot.Since = now;
            slot.Gen2AtGraceEnd = -1;
            return true;
        }
    }

    /// <summary>Forgets collected objects and counts the retained ones.</summary>
    /// <param name="now">The current time.</param>
    /// <param name="gen2Count">The number of generation-2 collections so far (<see cref="GC.CollectionCount"/>).</param>
    /// <returns>The number of objects alive although a full collection ran after their grace period.</returns>
    public int Check(DateTimeOffset now, int gen2Count)
    {
        lock (_gate)
        {
            _saturated = false;
            var retained = 0;
            for (var i = 0; i < _count; i++)
            {
                ref var slot = ref _slots[i];
                if (!slot.Reference!.IsAlive)
                {
                    RemoveAt(i--);
                    continue;
                }

                if (now - slot.Since < _grace)
                {
                    continue;
                }

                if (slot.Gen2AtGraceEnd < 0)
                {
                    slot.Gen2AtGraceEnd = gen2Count;
                }
                else if (gen2Count > slot.Gen2AtGraceEnd)
                {
                    retained++;
                }
            }

            return retained;
        }
    }

    /// <summary>Groups the retained objects (as of the last <see cref="Check"/>) by type, with their labels.</summary>
    /// <param name="gen2Count">The number of generation-2 collections so far.</param>
    /// <returns>The groups, largest first.</returns>
    public IReadOnlyList<RetainedTypeGroup> DescribeRetained(int gen2Count)
    {
        var groups = new Dictionary<Type, Dictionary<string, int>>();
        lock (_gate)
        {
            for (var i = 0; i < _count; i++)
            {
                ref var slot = ref _slots[i];
                if (slot.Gen2AtGraceEnd < 0 || gen2Count <= slot.Gen2AtGraceEnd || slot.Reference!.Target?.GetType() is not { } type)
                {
                    continue;
                }

                if (!groups.TryGetValue(type, out var labels))
                {
                    groups[type] = labels = new Dictionary<string, int>(StringComparer.Ordinal);
                }

                labels[slot.Label!] = labels.GetValueOrDefault(slot.Label!) + 1;
            }
        }

        return groups
            .Select(g => new RetainedTypeGroup(g.Key, g.Value.Values.Sum(), DescribeLabels(g.Value)))
            .OrderByDescending(g => g.Count)
            .ThenBy(g => g.Type.FullName, StringComparer.Ordinal)
            .ToArray();
    }

    private static string[] DescribeLabels(Dictionary<string, int> labels) =>
    [
        .. labels
            .OrderByDescending(l => l.Value)
            .ThenBy(l => l.Key, StringComparer.Ordinal)
            .Take(MaxLabelsPerType)
            .Select(l => l.Value == 1 ? l.Key : string.Create(CultureInfo.InvariantCulture, $"{l.Key} (×{l.Value})")),
    ];

    private bool MakeRoom()
    {
        if (_slots.Length < _capacity)
        {
            Array.Resize(ref _slots, Math.Min(_capacity, _slots.Length * 2));
            return true;
        }

        // Pruning is a scan of every slot: once it found nothing to free, wait for the next check before scanning again.
        if (_saturated)
        {
            return false;
        }

        for (var i = 0; i < _count; i++)
        {
            if (!_slots[i].Reference!.IsAlive)
            {
                RemoveAt(i--);
            }
        }

        _saturated = _count == _slots.Length;
        return !_saturated;
    }

    private void RemoveAt(int index)
    {
        // Swap with the last used slot; the freed slot keeps its weak reference object for reuse.
        var last = --_count;
        (_slots[index], _slots[last]) = (_slots[last], _slots[index]);
        _slots[last].Reference!.Target = null;
        _slots[last].Label = null;
    }

    private struct Slot
    {
        public WeakReference? Reference;
        public string? Label;
        public DateTimeOffset Since;
        public int Gen2AtGraceEnd;
    }
}
