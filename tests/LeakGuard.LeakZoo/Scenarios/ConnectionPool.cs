namespace LeakGuard.LeakZoo.Scenarios;

/// <summary>
/// A pool that hands out idle connections, creates a new one whenever none is idle, and tracks the
/// leased ones (to close them at shutdown). A connection that is never returned stays in the lease set.
/// </summary>
internal sealed class ConnectionPool
{
    private readonly Stack<PooledConnection> _idle = new();
    private readonly HashSet<PooledConnection> _leased = [];
    private long _created;

    public int Leased => _leased.Count;

    public PooledConnection Rent()
    {
        if (!_idle.TryPop(out var connection))
        {
            connection = new PooledConnection(_created++);
        }

        _leased.Add(connection);
        return connection;
    }

    public void Return(PooledConnection connection)
    {
        if (_leased.Remove(connection))
        {
            _idle.Push(connection);
        }
    }
}
