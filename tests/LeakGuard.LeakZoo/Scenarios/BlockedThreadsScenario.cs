using System.Runtime.CompilerServices;

namespace LeakGuard.LeakZoo.Scenarios;

/// <summary>
/// Leak: every "job" starts a thread that waits for a signal nobody sends. The thread count grows;
/// the managed heap stays flat (each thread holds only a small context) and RSS grows by the
/// thread stacks' touched pages (~33 KB per thread measured on .NET 10).
/// Capped so a long run cannot exhaust the machine.
/// </summary>
internal sealed class BlockedThreadsScenario : RateScenario
{
    private readonly ManualResetEventSlim _neverSignalled = new(false);
    private readonly int _maxThreads;
    private int _started;

    public BlockedThreadsScenario(double threadsPerSecond, int maxThreads)
        : base(threadsPerSecond)
    {
        _maxThreads = maxThreads;
    }

    public override string Description => $"threads blocked forever on an event nobody sets (at most {_maxThreads})";

    public override long Units => Volatile.Read(ref _started);

    public override void Stop() => _neverSignalled.Set();

    [MethodImpl(MethodImplOptions.NoInlining)]
    protected override void RunOnce(long sequence)
    {
        if (_started >= _maxThreads)
        {
            return;
        }

        // Each job also does ordinary work that leaves garbage: a real service allocates, so collections
        // (and with them LeakGuard's post-GC readings) keep coming while the heap stays flat.
        var parsed = new byte[200 * 1024];
        parsed[^1] = (byte)sequence;
        var context = new byte[256];
        context[0] = parsed[^1];
        var thread = new Thread(() =>
        {
            _neverSignalled.Wait();
            GC.KeepAlive(context);
        })
        {
            IsBackground = true,
            Name = "zoo-stuck-job",
        };
        thread.Start();
        Interlocked.Increment(ref _started);
    }
}
