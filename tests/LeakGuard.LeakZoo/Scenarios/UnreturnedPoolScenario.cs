using System.Runtime.CompilerServices;

namespace LeakGuard.LeakZoo.Scenarios;

/// <summary>
/// Leak: callers return pooled connections on the success path only; one request in four fails and
/// its connection is never returned, so the pool creates a new one and the lease set grows.
/// Held by the static field <c>s_connectionPool</c> (a <c>ConnectionPool</c>).
/// </summary>
internal sealed class UnreturnedPoolScenario : RateScenario
{
    private const int UnitBytes = 17 * 1024;
    private const int FailEvery = 4;
    private static readonly ConnectionPool s_connectionPool = new();

    public UnreturnedPoolScenario(double bytesPerSecond)
        : base(bytesPerSecond / UnitBytes * FailEvery)
    {
    }

    public override string Description => "ConnectionPool whose callers skip Return on the error path (static field s_connectionPool)";

    public override long Units => s_connectionPool.Leased;

    [MethodImpl(MethodImplOptions.NoInlining)]
    protected override void RunOnce(long sequence)
    {
        var connection = s_connectionPool.Rent();
        try
        {
            connection.Send(sequence);
            if (sequence % FailEvery == 0)
            {
                throw new TimeoutException("upstream timed out");
            }

            s_connectionPool.Return(connection);
        }
        catch (TimeoutException)
        {
            // The bug: the error path logs and moves on without returning the connection.
        }
    }
}
