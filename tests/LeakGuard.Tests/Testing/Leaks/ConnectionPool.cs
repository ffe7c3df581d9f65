namespace LeakGuard.Tests.Testing.Leaks;

/// <summary>
/// Seed pattern "pools that don't return": the pool tracks every lease; a caller that never returns its connection
/// makes the pool create a new one each time, and the lease set holds them all.
/// </summary>
internal sealed class ConnectionPool
{
    private readonly Stack<PooledConnection> _free = new();
    private readonly HashSet<PooledConnection> _leased = [];

    public static ConnectionPool Shared { get; } = new();

    public PooledConnection Rent()
    {
        var connection = _free.Count > 0 ? _free.Pop() : new PooledConnection();
        _leased.Add(connection);
        return connection;
    }

    public void Return(PooledConnection connection)
    {
        if (_leased.Remove(connection))
        {
            _free.Push(connection);
        }
    }

    public void Reset()
    {
        _free.Clear();
        _leased.Clear();
    }
}
