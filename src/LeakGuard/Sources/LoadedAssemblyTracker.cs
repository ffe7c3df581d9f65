using System.Reflection;
using LeakGuard.Investigation;

namespace LeakGuard.Sources;

/// <summary>
/// Counts the process's loaded assemblies, dynamic (<see cref="Assembly.IsDynamic"/>) and collectible
/// (<see cref="Assembly.IsCollectible"/>) ones apart, and remembers the newest loads by name. It counts
/// <see cref="AppDomain.AssemblyLoad"/> events after one enumeration at start rather than enumerating on every sample:
/// <see cref="AppDomain.GetAssemblies"/> allocates an array of every assembly and cost ~20 µs for 67 of them
/// (docs/performance.md), more than a whole sample. It names the newest generated (dynamic) loads: those are the ones a
/// code generator called per operation piles up, and the runtime's own lazy loads would crowd them out. Only collectible assemblies can leave again, and no event says
/// when; once one was loaded the counts are re-read from an enumeration every <see cref="RecountSamples"/> reads.
/// Holds no <see cref="Assembly"/> reference (a collectible one would never unload); its memory is fixed.
/// </summary>
internal sealed class LoadedAssemblyTracker : IDisposable
{
    /// <summary>The number of newest generated assemblies remembered by name.</summary>
    public const int NewestCapacity = 10;

    /// <summary>With collectible assemblies loaded, the counts are re-read from an enumeration every this many reads.</summary>
    public const int RecountSamples = 16;

    private static readonly Lazy<LoadedAssemblyTracker> SharedTracker = new(() => new(AppDomain.CurrentDomain, TimeProvider.System));

    private readonly AppDomain _domain;
    private readonly TimeProvider _time;
    private readonly object _newestGate = new();
    private readonly LoadedAssembly[] _newest = new LoadedAssembly[NewestCapacity];
    private long _newestWritten;
    private long _loaded;
    private long _dynamic;
    private long _collectible;
    private long _loadEvents;
    private long _dynamicLoadEvents;
    private int _readsUntilRecount;
    private bool _disposed;

    /// <summary>Initializes a new instance of the <see cref="LoadedAssemblyTracker"/> class and starts counting.</summary>
    /// <param name="domain">The application domain to watch.</param>
    /// <param name="time">The clock that stamps loads.</param>
    public LoadedAssemblyTracker(AppDomain domain, TimeProvider time)
    {
        _domain = domain;
        _time = time;

        // Subscribed before the enumeration: a load in between is counted twice (never missed) until the next recount.
        domain.AssemblyLoad += OnAssemblyLoad;
        Recount();
    }

    /// <summary>Gets the process-wide tracker: the monitor's probe and every investigation read the same counts.</summary>
    public static LoadedAssemblyTracker Shared => SharedTracker.Value;

    /// <summary>Gets the number of assembly loads seen since the tracker started (never decreases; tells loads between two points in time).</summary>
    public long LoadEvents => Interlocked.Read(ref _loadEvents);

    /// <summary>Gets the number of dynamic assembly loads seen since the tracker started (never decreases).</summary>
    public long DynamicLoadEvents => Interlocked.Read(ref _dynamicLoadEvents);

    /// <summary>Reads the current counts; allocation-free unless collectible assemblies were loaded and a recount is due.</summary>
    /// <returns>The counts.</returns>
    public AssemblyCounts Read()
    {
        if (Interlocked.Read(ref _collectible) > 0 && --_readsUntilRecount <= 0)
        {
            _readsUntilRecount = RecountSamples;
            Recount();
        }

        return new AssemblyCounts(Interlocked.Read(ref _loaded), Interlocked.Read(ref _dynamic), Interlocked.Read(ref _collectible));
    }

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

    private void Recount()
    {
        long loaded = 0, dynamic = 0, collectible = 0;
        foreach (var assembly in _domain.GetAssemblies())
        {
            loaded++;
            dynamic += assembly.IsDynamic ? 1 : 0;
            collectible += assembly.IsCollectible ? 1 : 0;
        }

        Volatile.Write(ref _loaded, loaded);
        Volatile.Write(ref _dynamic, dynamic);
        Volatile.Write(ref _collectible, collectible);
    }

    private void OnAssemblyLoad(object? sender, AssemblyLoadEventArgs args)
    {
        try
        {
            var assembly = args.LoadedAssembly;
            var isDynamic = assembly.IsDynamic;
            var isCollectible = assembly.IsCollectible;
            Interlocked.Increment(ref _loadEvents);
            Interlocked.Increment(ref _loaded);
            if (isCollectible)
            {
                Interlocked.Increment(ref _collectible);
            }

            if (!isDynamic)
            {
                return;
            }

            Interlocked.Increment(ref _dynamic);
            Interlocked.Increment(ref _dynamicLoadEvents);
            var load = new LoadedAssembly
            {
                Name = assembly.GetName().Name ?? "(unnamed)",
                Dynamic = isDynamic,
                Collectible = isCollectible,
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
}
