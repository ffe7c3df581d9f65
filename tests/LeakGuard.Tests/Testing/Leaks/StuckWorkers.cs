namespace LeakGuard.Tests.Testing.Leaks;

/// <summary>Seed pattern "threads that never exit": each job's thread blocks forever on a signal nobody sends, holding its state.</summary>
internal static class StuckWorkers
{
    private static readonly ManualResetEventSlim Signal = new(false);
    private static readonly SemaphoreSlim Started = new(0);
    private static int _running;

    public static int Running => Volatile.Read(ref _running);

    public static void Start()
    {
        var job = new JobState();
        var thread = new Thread(() =>
        {
            Interlocked.Increment(ref _running);
            Started.Release();
            Signal.Wait();
            GC.KeepAlive(job);
            Interlocked.Decrement(ref _running);
        })
        { IsBackground = true, Name = "stuck worker" };
        thread.Start();
        Started.Wait();
    }

    /// <summary>Lets every stuck thread finish and waits (with a deadline) until they have.</summary>
    public static bool ReleaseAll(TimeSpan timeout)
    {
        Signal.Set();
        var finished = SpinWait.SpinUntil(() => Running == 0, timeout);
        Signal.Reset();
        return finished;
    }
}
