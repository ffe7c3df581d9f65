using System.Reflection;
using System.Runtime.CompilerServices;
using LeakGuard.Investigation;

namespace LeakGuard.Sources;

/// <summary>
/// Counts the process's loaded assemblies, dynamic (<see cref="Assembly.IsDynamic"/>) and collectible
/// (<see cref="Assembly.IsCollectible"/>) ones apart, and remembers the newest generated ones by name. It counts
/// <see cref="AppDomain.AssemblyLoad"/> events after one enumeration at start rather than enumerating on every sample:
/// <see cref="AppDomain.GetAssemblies"/> allocates an array of every assembly and costs 5–230 µs (docs/performance.md),
/// more than a whole sample. Only collectible assemblies can leave again, and no event says when: each carries a small
/// sentinel in a <see cref="ConditionalWeakTable{TKey, TValue}"/>, whose finalizer counts the unload once the assembly is
/// collected. It names the newest dynamic loads only: those are what a code generator called per operation piles up, and
/// the runtime's own lazy loads would crowd them out. Holds no strong <see cref="Assembly"/> reference (a collectible one
/// would never unload); its memory is fixed but for the sentinels, at most <see cref="MaxTrackedCollectible"/>.
/// </summary>
internal sealed class LoadedAssemblyTracker : IDisposable
{
    /// <summary>The number of newest generated assemblies remembered by name.</summary>
    public const int NewestCapacity = 10;

    /// <summary>
    /// The most collectible assemblies whose unload is watched (a sentinel and a weak-table entry each); beyond it the
    /// collectible count only grows, which still shows a leak of them.
    /// </summary>
    public const int MaxTrackedCollectible = 65_536;

    private static readonly Lazy<LoadedAssemblyTracker> SharedTracker = new(() => new(AppDomain.CurrentDomain, TimeProvider.System));

    private readonly AppDomain _domain;
    private readonly TimeProvider _time;
    private readonly object _newestGate = new();
    private readonly LoadedAssembly[] _newest = new LoadedAssembly[NewestCapacity];
    private readonly ConditionalWeakTable<Assembly, UnloadSentinel> _collectibles = new();
    private long _newestWritten;
    private long _loaded;
    private long _dynamic;
    private long _collectible;
    private long _tracked;
    private long _dynamicLoadEvents;
    private bool _disposed;

    /// <summary>Initializes a new instance of the <see cref="LoadedAssemblyTracker"/> class and starts counting.</summary>
    /// <param name="domain">The application domain to watch.</param>
    /// <param name="time">The clock that stamps loads.</param>
    public LoadedAssemblyTracker(AppDomain domain, TimeProvider time)
    {
        _domain = domain;
        _time = time;

        // Subscribed before the enumeration: a load in between is counted twice, never missed.
        domain.AssemblyLoad += OnAssemblyLoad;
        foreach (var assembly in domain.GetAssemblies())
        {
            Count(assembly, assembly.IsDynamic);
        }
    }

    /// <summary>Gets the process-wide tracker: the monitor's probe and every investigation read the same counts.</summary>
    public static LoadedAssemblyTracker Shared => SharedTracker.Value;

    /// <summary>Gets the number of dynamic assembly loads seen since the tracker started (never decreases: tells loads between two moments).</summary>
    public long DynamicLoadEvents => Interlocked.Read(ref _dynamicLoadEvents);

    /// <summary>Reads the current counts; allocation-free.</summary>
    /// <returns>The counts.</returns>
    public AssemblyCounts Read() => new(Interlocked.Read(ref _loaded), Interlocked.Read(ref _dynamic), Interlocked.Read(ref _collectible));

    /// <summary>Returns the newest generated (dynamic) assemblies loaded, newest first (at most <see cref="NewestCapacity"/>).</summary>
    /// <returns>A copy.</returns>
    public IReadOnlyList<LoadedAssembly> NewestDynamic()
    {
        lock (_newestGate)
        {
            var count = (int)Math.Min(_newestWritten, NewestCapacity);
            var result = new LoadedAssembly[count];
            for (var i = 0; i < count; i++)
            {
                result[i] = _newest[(int)((_newestWritten - 1 - i) % NewestCapacity)];
            }

            return result;
        }
    }

    /// <inheritdoc />
    public void Dispose()
    {
        if (!_disposed)
        {
            _disposed = true;
            _domain.AssemblyLoad -= OnAssemblyLoad;
        }
    }

    private void Count(Assembly assembly, bool isDynamic)
    {
        Interlocked.Increment(ref _loaded);
        if (isDynamic)
        {
            Interlocked.Increment(ref _dynamic);
        }

        if (!assembly.IsCollectible)
        {
            return;
        }

        Interlocked.Increment(ref _collectible);
        if (Interlocked.Increment(ref _tracked) > MaxTrackedCollectible)
        {
            Interlocked.Decrement(ref _tracked);
            return;
        }

        _collectibles.AddOrUpdate(assembly, new UnloadSentinel(this, isDynamic));
    }

    private void OnUnloaded(bool isDynamic)
    {
        Interlocked.Decrement(ref _tracked);
        Interlocked.Decrement(ref _loaded);
        Interlocked.Decrement(ref _collectible);
        if (isDynamic)
        {
            Interlocked.Decrement(ref _dynamic);
        }
    }

    private void OnAssemblyLoad(object? sender, AssemblyLoadEventArgs args)
    {
        try
        {
            var assembly = args.LoadedAssembly;
            var isDynamic = assembly.IsDynamic;
            Count(assembly, isDynamic);
            if (!isDynamic)
            {
                return;
            }

            Interlocked.Increment(ref _dynamicLoadEvents);
            var load = new LoadedAssembly
            {
                Name = assembly.GetName().Name ?? "(unnamed)",
                Dynamic = true,
                Collectible = assembly.IsCollectible,
                LoadedAt = _time.GetUtcNow(),
            };
            lock (_newestGate)
            {
                _newest[(int)(_newestWritten++ % NewestCapacity)] = load;
            }
        }
#pragma warning disable CA1031 // The handler runs on the host's loading thread: it must never throw into it.
        catch (Exception)
#pragma warning restore CA1031
        {
        }
    }

    /// <summary>Lives exactly as long as its collectible assembly (the weak table's value): its finalizer is the unload.</summary>
    private sealed class UnloadSentinel(LoadedAssemblyTracker owner, bool isDynamic)
    {
        ~UnloadSentinel() => owner.OnUnloaded(isDynamic);
    }
}
