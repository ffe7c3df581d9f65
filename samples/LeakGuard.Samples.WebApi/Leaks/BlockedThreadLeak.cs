namespace LeakGuard.Samples.WebApi.Leaks;

/// <summary>Threads that wait forever on a signal nobody sends: each holds its stack and its thread object.</summary>
public sealed class BlockedThreadLeak : ILeak
{
    private readonly List<Thread> _threads = [];
    private ManualResetEventSlim _release = new();

    public string Name => "threads";

    public string Description => "Each step starts a thread that blocks forever on a ManualResetEventSlim (signal threads; native memory for stacks).";

    public long Held { get { lock (_threads) { return _threads.Count; } } }

    public void Step()
    {
        lock (_threads)
        {
            var release = _release;
            var thread = new Thread(() => release.Wait(), maxStackSize: 256 * 1024) { IsBackground = true, Name = "blocked-" + _threads.Count };
            thread.Start();
            _threads.Add(thread);
        }
    }

    public void Release()
    {
        lock (_threads)
        {
            _release.Set();
            _release = new ManualResetEventSlim();
            _threads.Clear();
        }
    }
}
