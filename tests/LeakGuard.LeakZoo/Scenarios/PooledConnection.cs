namespace LeakGuard.LeakZoo.Scenarios;

/// <summary>A pooled connection with its send/receive buffers (about 16 KiB).</summary>
internal sealed class PooledConnection
{
    private Payload16K _buffers;

    public PooledConnection(long id)
    {
        Id = id;
        _buffers[0] = (byte)id;
    }

    public long Id { get; }

    public int Send(long requestId)
    {
        _buffers[1] = (byte)requestId;
        return _buffers[0] + _buffers[1];
    }
}
