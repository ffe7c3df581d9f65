using System.Collections.Concurrent;

namespace LeakGuard.Hosting;

/// <summary>The user gauges registered with <see cref="ILeakMonitor.Watch"/>, each a signal of its own. Bounded to <see cref="Capacity"/>.</summary>
internal sealed class GaugeRegistry
{
    /// <summary>The most gauges watched at once (each keeps a few KB of history).</summary>
    public const int Capacity = 256;

    /// <summary>The longest gauge name.</summary>
    public const int MaxNameLength = 64;

    private readonly ConcurrentDictionary<string, Func<long>> _gauges = new(StringComparer.Ordinal);
    private readonly object _publishGate = new();
    private KeyValuePair<string, Func<long>>[] _snapshot = [];
    private int _removed;

    /// <summary>Gets the registered gauges: an immutable snapshot republished on every add and remove, so the
    /// sampling step reads it without allocating (enumerating the dictionary allocates an enumerator per sample).</summary>
    public KeyValuePair<string, Func<long>>[] Gauges => Volatile.Read(ref _snapshot);

    /// <summary>Returns whether a gauge with this name is registered.</summary>
    /// <param name="name">The name.</param>
    /// <returns><see langword="true"/> when registered.</returns>
    public bool Contains(string name) => _gauges.ContainsKey(name);

    /// <summary>Returns whether a gauge was unregistered since the last call (so the loop prunes its history only then).</summary>
    /// <returns><see langword="true"/> when one was.</returns>
    public bool TakeRemoved() => Interlocked.Exchange(ref _removed, 0) == 1;

    /// <summary>Registers a gauge.</summary>
    /// <param name="name">The signal name.</param>
    /// <param name="gauge">The reading function.</param>
    /// <returns>A handle that unregisters it.</returns>
    public IDisposable Add(string name, Func<long> gauge)
    {
        ArgumentNullException.ThrowIfNull(name);
        ArgumentNullException.ThrowIfNull(gauge);
        if (!IsValidName(name))
        {
            throw new ArgumentException(
                $"The gauge name '{name}' is invalid: use 1 to {MaxNameLength} letters, digits, '_', '.' or '-', and not a built-in signal's name.",
                nameof(name));
        }

        if (_gauges.Count >= Capacity)
        {
            throw new InvalidOperationException($"At most {Capacity} gauges can be watched at once.");
        }

        if (!_gauges.TryAdd(name, gauge))
        {
            throw new InvalidOperationException($"A gauge named '{name}' is already watched; dispose its handle first.");
        }

        Republish();
        return new Registration(this, name, gauge);
    }

    /// <summary>Returns whether a name is allowed for a user gauge.</summary>
    /// <param name="name">The name.</param>
    /// <returns><see langword="true"/> when allowed.</returns>
    public static bool IsValidName(string name)
    {
        if (name.Length is 0 or > MaxNameLength || IsBuiltIn(name))
        {
            return false;
        }

        foreach (var c in name)
        {
            if (!(char.IsAsciiLetterOrDigit(c) || c is '_' or '.' or '-'))
            {
                return false;
            }
        }

        return true;
    }

    private void Republish()
    {
        // Serialised so a slower publisher never overwrites a newer snapshot with an older one.
        lock (_publishGate)
        {
            Volatile.Write(ref _snapshot, _gauges.ToArray());
        }
    }

    private static bool IsBuiltIn(string name) => name is LeakSignals.ManagedHeap or LeakSignals.Gen2 or LeakSignals.Loh
        or LeakSignals.ProcessMemory or LeakSignals.NativeMemory or LeakSignals.Threads or LeakSignals.Timers
        or LeakSignals.GcHandles or LeakSignals.FinalizationQueue or LeakSignals.LoadedAssemblies or LeakSignals.GcPressure or LeakSignals.RetainedObjects
        or LeakSignals.RestartCadence;

    private sealed class Registration(GaugeRegistry owner, string name, Func<long> gauge) : IDisposable
    {
        public void Dispose()
        {
            if (owner._gauges.TryRemove(new KeyValuePair<string, Func<long>>(name, gauge)))
            {
                owner.Republish();
                Volatile.Write(ref owner._removed, 1);
            }
        }
    }
}
