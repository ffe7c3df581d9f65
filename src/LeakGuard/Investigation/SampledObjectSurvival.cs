using System.Runtime.InteropServices;

namespace LeakGuard.Investigation;

/// <summary>
/// Follows each sampled allocation's address through the garbage collections of a recording, from the runtime's
/// survival and movement events, to tell at the end of the window which sampled objects are still alive.
/// </summary>
/// <remarks>
/// <para>
/// A blocking GC condemns the generations up to its depth (<c>GCStart</c>). It reports every surviving object of the
/// parts it swept as a surviving range and of the parts it compacted as a moved range (old and new start); measured on
/// .NET 10 with regions, a gen0 or gen1 GC reports moved ranges only, a gen2 GC both, and the large object heap's
/// survivors are reported by gen2 GCs. So a tracked object in a condemned generation that lies in neither kind of range
/// died; one that lies in a range survived (at its new address when it moved) and is promoted one generation. Objects
/// of generations the GC did not condemn are untouched. The generation is inferred: a small object starts in gen0, a
/// large or pinned one in gen2, and each survival of a condemned object promotes it by one (when the GC chose not to
/// promote, the inference runs ahead: the object is then not judged by the next younger GC and is at worst counted
/// alive, never dead while alive, because any range that holds it still relocates it).
/// </para>
/// <para>
/// A background GC (gen2, concurrent) is not used to judge deaths, only to follow what its ranges report: its
/// marking runs alongside the program and the ephemeral GCs nested in it, so an object it does not report may have
/// been promoted after it started. Gen2 objects that die in a background GC stay counted alive.
/// </para>
/// <para>
/// Bounded: one entry per tracked sample (at most the recording's sample cap, 32 bytes each); ranges are applied as
/// they arrive, by binary search in the entries sorted by address (only those added or moved since the last sort are
/// sorted, then merged), and never stored. Used by one thread.
/// </para>
/// </remarks>
internal sealed class SampledObjectSurvival
{
    private const byte OldestGeneration = 2;
    private readonly List<TrackedObject> _objects = [];
    private readonly List<TrackedObject> _displaced = [];
    private readonly Dictionary<int, SampleSurvival> _settled = [];
    private bool _sorted = true;
    private int _collection = -1;
    private int _depth;
    private bool _closing;
    private int _background = -1;
    private bool _rangesReported;
    private int _next;

    /// <summary>Gets the number of blocking GCs whose verdicts were applied.</summary>
    public int Collections { get; private set; }

    /// <summary>
    /// Gets whether the collection that closes the window has ended: what is allocated after it lies outside the window
    /// (the session runs on until the recording stops it) and is neither tracked nor counted.
    /// </summary>
    public bool WindowClosed { get; private set; }

    /// <summary>Gets the number of sampled objects tracked and not known dead.</summary>
    public int Alive => _objects.Count;

    /// <summary>
    /// Gets why survival cannot be told for this recording (no blocking GC ran, or GCs ran without reporting any range),
    /// or <see langword="null"/> when it can.
    /// </summary>
    public string? Unknown => Collections == 0
        ? "no blocking garbage collection ran during the window, so nothing could be judged dead"
        : _rangesReported ? null : "the runtime reported no surviving or moved object ranges (keyword GCHeapSurvivalAndMovement)";

    /// <summary>Tracks a sampled allocation.</summary>
    /// <param name="address">The object's address.</param>
    /// <param name="entry">The tally entry (type and stack) it was counted under.</param>
    /// <param name="estimatedBytes">The bytes the sample stands for.</param>
    /// <param name="oldGeneration">Whether it was allocated in the large or pinned object heap (collected with gen2).</param>
    public void Sampled(ulong address, int entry, double estimatedBytes, bool oldGeneration)
    {
        if (WindowClosed)
        {
            return;
        }

        _objects.Add(new TrackedObject
        {
            Address = address,
            NewAddress = address,
            Entry = entry,
            Bytes = estimatedBytes,
            Generation = oldGeneration ? OldestGeneration : (byte)0,
            Displaced = true,
        });
        _sorted = false;
    }

    /// <summary>A GC starts.</summary>
    /// <param name="number">The GC's number.</param>
    /// <param name="depth">The oldest generation it condemns.</param>
    /// <param name="background">Whether it is a background GC.</param>
    /// <param name="closing">
    /// Whether it is the collection the recording induces as its window closes. Its deaths count; a sample it finds alive
    /// that no earlier GC had condemned stays unjudged (counted at its stack's survival rate): an object allocated moments
    /// before the window closed (a request's buffers in flight) is no evidence that its stack keeps what it allocates;
    /// its stack's earlier samples, judged by the GCs that ran at the runtime's own pace, say how much of it stays.
    /// </param>
    public void Started(int number, int depth, bool background, bool closing = false)
    {
        Commit();
        if (background)
        {
            _background = number;
            return;
        }

        _collection = number;
        _depth = depth;
        _closing = closing;
    }

    /// <summary>A range of objects survived in place.</summary>
    /// <param name="start">The range's first address.</param>
    /// <param name="length">Its length in bytes.</param>
    public void Survived(ulong start, ulong length) => Relocate(start, start, length);

    /// <summary>A range of surviving objects moved.</summary>
    /// <param name="oldStart">The range's first address before the GC.</param>
    /// <param name="newStart">Its first address after.</param>
    /// <param name="length">Its length in bytes.</param>
    public void Moved(ulong oldStart, ulong newStart, ulong length) => Relocate(oldStart, newStart, length);

    /// <summary>A GC ended: for a blocking one, the condemned objects no range reported died.</summary>
    /// <param name="number">The GC's number.</param>
    public void Ended(int number)
    {
        if (number != _collection)
        {
            // A background GC, or one that started before the recording: only its relocations are applied.
            Commit();
            if (number == _background)
            {
                _background = -1;
            }

            return;
        }

        var objects = CollectionsMarshal.AsSpan(_objects);
        var kept = 0;
        for (var i = 0; i < objects.Length; i++)
        {
            var tracked = objects[i];
            if (tracked.Generation <= _depth)
            {
                if (!tracked.Seen)
                {
                    continue;
                }

                tracked.Generation = (byte)Math.Min(tracked.Generation + 1, OldestGeneration);
                tracked.Judged |= !_closing;
            }

            Move(ref tracked);
            objects[kept++] = tracked;
        }

        _objects.RemoveRange(kept, _objects.Count - kept);
        _collection = -1;
        Collections++;
        WindowClosed |= _closing;
    }

    /// <summary>
    /// Sums the sampled objects not known dead at the end per tally entry: those a GC condemned and found alive, and
    /// those no GC has judged yet (allocated after the last GC that condemned their generation). Samples of a session
    /// that closed before the end (<see cref="EndPeriod"/>) count as they stood when it closed.
    /// </summary>
    /// <returns>Per entry, the samples and estimated bytes alive, and those not judged.</returns>
    public Dictionary<int, SampleSurvival> Surviving()
    {
        Commit();
        var result = new Dictionary<int, SampleSurvival>(_settled);
        foreach (var tracked in _objects)
        {
            result.TryGetValue(tracked.Entry, out var sum);
            result[tracked.Entry] = sum.Plus(tracked.Judged
                ? new SampleSurvival(1, tracked.Bytes, 0, 0)
                : new SampleSurvival(0, 0, 1, tracked.Bytes));
        }

        return result;
    }

    /// <summary>
    /// The recording's session closed before the window's end (its sample budget ran dry): its samples can no longer be
    /// followed, so each keeps the verdict it has now — alive if a GC found it alive, unjudged if none condemned it yet —
    /// and the next session's samples are followed afresh.
    /// </summary>
    public void EndPeriod()
    {
        foreach (var (entry, survival) in Surviving())
        {
            _settled[entry] = survival;
        }

        _objects.Clear();
        _displaced.Clear();
        _sorted = true;
        _collection = -1;
        _background = -1;
        _next = 0;
    }

    private void Relocate(ulong start, ulong newStart, ulong length)
    {
        _rangesReported = true;
        if (!_sorted)
        {
            Sort();
        }

        var objects = CollectionsMarshal.AsSpan(_objects);
        var end = start + length;
        // The GC reports a region's ranges in address order, and most hold no sample: searching on from where the previous
        // range ended is then one comparison; a range below it falls back to searching them all.
        var first = _next > 0 && _next <= objects.Length && objects[_next - 1].Address < start
            ? _next + LowerBound(objects[_next..], start)
            : LowerBound(objects, start);
        var i = first;
        for (; i < objects.Length && objects[i].Address < end; i++)
        {
            objects[i].Seen = true;
            objects[i].NewAddress = objects[i].Address - start + newStart;
        }

        _next = i;
    }

    // Applies relocations reported outside a blocking GC's verdict (a background GC's ranges) and clears the marks.
    private void Commit()
    {
        var objects = CollectionsMarshal.AsSpan(_objects);
        for (var i = 0; i < objects.Length; i++)
        {
            if (objects[i].Seen)
            {
                Move(ref objects[i]);
            }
        }
    }

    private void Move(ref TrackedObject tracked)
    {
        if (tracked.Address != tracked.NewAddress)
        {
            tracked.Address = tracked.NewAddress;
            tracked.Displaced = true;
            _sorted = false;
        }

        tracked.Seen = false;
    }

    // Measured under the overhead harness (60–70 GCs a second), sorting all the tracked samples at every GC was about a
    // quarter of the reader's survival work (its thread 465 → 358 ns per operation; docs/performance.md): the samples
    // promoted to gen2 pile up over a window, and an ephemeral GC moves none of them. Only the samples added or moved
    // since the last sort are sorted, then merged into the others, still in order.
    private void Sort()
    {
        var objects = CollectionsMarshal.AsSpan(_objects);
        var displaced = 0;
        foreach (var tracked in objects)
        {
            displaced += tracked.Displaced ? 1 : 0;
        }

        if (displaced * 4 > objects.Length)
        {
            objects.Sort(static (a, b) => a.Address.CompareTo(b.Address));
            for (var i = 0; i < objects.Length; i++)
            {
                objects[i].Displaced = false;
            }
        }
        else
        {
            var stable = 0;
            for (var i = 0; i < objects.Length; i++)
            {
                var tracked = objects[i];
                if (tracked.Displaced)
                {
                    tracked.Displaced = false;
                    _displaced.Add(tracked);
                }
                else
                {
                    objects[stable++] = tracked;
                }
            }

            var moved = CollectionsMarshal.AsSpan(_displaced);
            moved.Sort(static (a, b) => a.Address.CompareTo(b.Address));
            int from = stable - 1, next = moved.Length - 1, to = objects.Length - 1;
            while (next >= 0)
            {
                objects[to--] = from >= 0 && objects[from].Address > moved[next].Address ? objects[from--] : moved[next--];
            }

            _displaced.Clear();
        }

        _sorted = true;
    }

    private static int LowerBound(Span<TrackedObject> objects, ulong address)
    {
        if (objects.Length == 0 || objects[0].Address >= address)
        {
            return 0;
        }

        int low = 1, high = objects.Length;
        while (low < high)
        {
            var middle = low + ((high - low) / 2);
            if (objects[middle].Address < address)
            {
                low = middle + 1;
            }
            else
            {
                high = middle;
            }
        }

        return low;
    }

    private struct TrackedObject
    {
        public ulong Address;
        public ulong NewAddress;
        public double Bytes;
        public int Entry;
        public byte Generation;
        public bool Seen;
        public bool Judged;
        public bool Displaced;
    }
}
