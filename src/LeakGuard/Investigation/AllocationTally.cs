namespace LeakGuard.Investigation;

/// <summary>
/// Counts sampled allocations per type and call stack while a recording runs, within fixed bounds: at most
/// <c>maxSamples</c> samples are counted (the recording stops there) and at most <c>maxStacks</c> distinct
/// (type, stack) pairs are kept — samples on further stacks still count for their type, under no stack.
/// Used by one thread (the session's reader).
/// </summary>
internal sealed class AllocationTally
{
    /// <summary>The stack id of samples whose stack was not kept (none came with the event, or the cap was reached).</summary>
    public const int NoStack = -1;

    private readonly Dictionary<(ulong TypeId, int Stack), int> _index = [];
    private readonly List<(ulong TypeId, int Stack, long Samples, double Bytes)> _entries = [];
    private readonly Dictionary<ulong, string> _typeNames = [];
    private readonly int _maxSamples;
    private readonly int _maxStacks;

    /// <summary>Initializes a new instance of the <see cref="AllocationTally"/> class.</summary>
    /// <param name="maxSamples">The most samples counted.</param>
    /// <param name="maxStacks">The most distinct (type, stack) pairs kept.</param>
    public AllocationTally(int maxSamples, int maxStacks)
    {
        _maxSamples = maxSamples;
        _maxStacks = maxStacks;
    }

    /// <summary>Gets the number of samples counted.</summary>
    public long Samples { get; private set; }

    /// <summary>Gets a value indicating whether the sample cap was reached.</summary>
    public bool Full => Samples >= _maxSamples;

    /// <summary>Counts one sample.</summary>
    /// <param name="typeId">The allocated type's id (its method table).</param>
    /// <param name="typeName">The type's name as the runtime reported it.</param>
    /// <param name="stack">The interned stack id, or <see cref="NoStack"/>.</param>
    /// <param name="estimatedBytes">The bytes the sample stands for.</param>
    /// <returns><see langword="false"/> when the cap was already reached and the sample was not counted.</returns>
    public bool Add(ulong typeId, string typeName, int stack, double estimatedBytes) => Add(typeId, typeName, stack, estimatedBytes, out _);

    /// <summary>Counts one sample.</summary>
    /// <param name="typeId">The allocated type's id (its method table).</param>
    /// <param name="typeName">The type's name as the runtime reported it.</param>
    /// <param name="stack">The interned stack id, or <see cref="NoStack"/>.</param>
    /// <param name="estimatedBytes">The bytes the sample stands for.</param>
    /// <param name="entry">The entry (type and kept stack) the sample was counted under, for its survival.</param>
    /// <returns><see langword="false"/> when the cap was already reached and the sample was not counted.</returns>
    public bool Add(ulong typeId, string typeName, int stack, double estimatedBytes, out int entry)
    {
        entry = -1;
        if (Full)
        {
            return false;
        }

        Samples++;
        _typeNames.TryAdd(typeId, typeName);
        var key = (typeId, stack);
        if (!_index.ContainsKey(key) && _index.Count >= _maxStacks)
        {
            key = (typeId, NoStack);
        }

        if (!_index.TryGetValue(key, out entry))
        {
            entry = _entries.Count;
            _index[key] = entry;
            _entries.Add((typeId, key.Item2, 0, 0));
        }

        var sum = _entries[entry];
        _entries[entry] = sum with { Samples = sum.Samples + 1, Bytes = sum.Bytes + estimatedBytes };
        return true;
    }

    /// <summary>Resolves the kept stacks to frames, with the samples of each that survived the window.</summary>
    /// <param name="frames">Resolves a stack id to its folded frames, or <see langword="null"/> when the allocation is LeakGuard's own.</param>
    /// <param name="surviving">Per entry (<see cref="Add(ulong, string, int, double, out int)"/>), what became of its samples; <see langword="null"/> when unknown.</param>
    /// <param name="scale">
    /// What the bytes are multiplied by: the whole recording's time over the time its sessions were open (1 when it was
    /// never paused), so they estimate the bytes allocated over the whole recording.
    /// </param>
    /// <returns>One entry per type and distinct folded stack; LeakGuard's own allocations left out.</returns>
    public IReadOnlyList<AllocationStack> Resolve(Func<int, string[]?> frames, IReadOnlyDictionary<int, SampleSurvival>? surviving = null, double scale = 1)
    {
        ArgumentNullException.ThrowIfNull(frames);
        if (!(scale >= 1) || double.IsInfinity(scale))
        {
            throw new ArgumentOutOfRangeException(nameof(scale), scale, "The scale must be at least 1 and finite.");
        }

        var byStack = new Dictionary<int, string[]?>();
        var merged = new Dictionary<(ulong TypeId, string Key), AllocationStack>();
        for (var entry = 0; entry < _entries.Count; entry++)
        {
            var (typeId, stack, samples, bytes) = _entries[entry];
            bytes *= scale;
            var alive = (surviving?.GetValueOrDefault(entry) ?? default).Scaled(scale);
            if (!byStack.TryGetValue(stack, out var folded))
            {
                folded = stack == NoStack ? [] : frames(stack);
                byStack[stack] = folded;
            }

            if (folded is null)
            {
                continue;
            }

            // Stacks that differ only in the frames folded away count as one.
            var key = (typeId, string.Join('\n', folded));
            merged[key] = merged.TryGetValue(key, out var existing)
                ? existing with
                {
                    Samples = existing.Samples + samples,
                    EstimatedBytes = existing.EstimatedBytes + bytes,
                    Survival = existing.Survival.Plus(alive),
                }
                : new AllocationStack(typeId, _typeNames[typeId], folded, samples, bytes, alive);
        }

        return [.. merged.Values];
    }
}
