using System.Runtime.CompilerServices;

namespace LeakGuard.Samples.WebApi.Leaks;

/// <summary>A connection pool whose callers forget to return what they rent: the pool's lease list keeps growing.</summary>
public sealed class UnreturnedPoolLeak : ILeak
{
    private readonly ConnectionPool _pool = new();

    public string Name => "pool";

    public string Description => "PooledConnection objects rented from a pool and never returned; the pool tracks every lease (managed_heap).";

    public long Held => _pool.Leased;

    // Not inlined into LeakLab's timer callback (dynamic PGO devirtualises the interface call and would), so the
    // report's "allocated at" names this method; docs/investigation.md, "Inlined methods".
    [MethodImpl(MethodImplOptions.NoInlining)]
    public void Step() => _pool.Rent();

    public void Release() => _pool.ReturnAll();
}

/// <summary>A pool that tracks its leases, as real connection pools do to enforce a maximum.</summary>
public sealed class ConnectionPool
{
    private readonly List<PooledConnection> _leased = [];

    public long Leased { get { lock (_leased) { return _leased.Count; } } }

    public PooledConnection Rent()
    {
        var connection = new PooledConnection();
        lock (_leased)
        {
            _leased.Add(connection);
        }

        return connection;
    }

    public void ReturnAll()
    {
        lock (_leased)
        {
            _leased.Clear();
            _leased.TrimExcess();
        }
    }
}

/// <summary>A rented connection with its receive buffer.</summary>
public sealed class PooledConnection
{
    public byte[] ReceiveBuffer { get; } = new byte[12 * 1024];
}
