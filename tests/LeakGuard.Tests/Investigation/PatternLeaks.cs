using System.Diagnostics;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.DependencyInjection;

namespace LeakGuard.Tests.Investigation;

// Each known pattern built for real in this process: the catalogue must recognise the heap shape each leaves.
#pragma warning disable CA1001, CA2000 // The leaks are the point: nothing here is disposed.

internal sealed class PatternSubscriber
{
    public void OnChanged(object? sender, EventArgs e) => GC.KeepAlive(this);
}

internal sealed class PatternCallbackState
{
    public int Calls { get; set; }
}

internal sealed class PatternDisposableService : IDisposable
{
    // A payload as a real service has (its options, a buffer): 5,000 bare 24-byte services are ~0.2 MB, under the 1 % of the
    // test host's heap a manual report needs to list anything (one full-suite run: "nothing grew beyond noise").
    public byte[] Payload { get; } = new byte[64];

    public void Dispose()
    {
    }
}

internal sealed class PatternCacheValue
{
    public byte[] Payload { get; } = new byte[64];
}

internal sealed class PatternTimerOwner
{
    public Timer? Timer { get; set; }
}

internal sealed class PatternObserver : IObserver<KeyValuePair<string, object?>>
{
    public void OnCompleted()
    {
    }

    public void OnError(Exception error)
    {
    }

    public void OnNext(KeyValuePair<string, object?> value)
    {
    }
}

internal sealed class PatternThreadValue
{
    public byte[] Buffer { get; } = new byte[32];
}

internal sealed class PatternEventListener : System.Diagnostics.Tracing.EventListener
{
    public byte[] State { get; } = new byte[64];
}

internal sealed class PatternPooledConnection
{
    public byte[] Buffer { get; } = new byte[64];
}

/// <summary>A pool that keeps the connections it lends, to close them at shutdown: what is never returned stays leased.</summary>
internal sealed class PatternConnectionPool
{
    private readonly HashSet<PatternPooledConnection> _leased = [];

    public PatternPooledConnection Rent()
    {
        var connection = new PatternPooledConnection();
        _leased.Add(connection);
        return connection;
    }

    public void Return(PatternPooledConnection connection) => _leased.Remove(connection);
}

internal sealed class PatternFlowValue
{
    public byte[] Buffer { get; } = new byte[32];
}

internal static class PatternLeaks
{
    // Weak: the listeners must stay alive through EventListener's own list only, yet be disposed after the test.
    private static readonly List<WeakReference<PatternEventListener>> EventListeners = [];

    // The long-running threads started in a flow that set AsyncLocal values, and what ends them.
    private static readonly List<Thread> FlowThreads = [];
    private static ManualResetEventSlim s_flowStop = new();

    // Weak: the timers must stay alive through their own callback only, yet be stopped after the test.
    private static readonly List<WeakReference<Timer>> Timers = [];

    public static CancellationTokenSource Source { get; private set; } = new();

    public static DiagnosticListener Listener { get; private set; } = new("LeakGuard.Tests.PatternLeaks");

    public static List<ThreadLocal<PatternThreadValue>> ThreadLocals { get; } = [];

    public static MemoryCache Cache { get; private set; } = new(new MemoryCacheOptions());

    public static PatternConnectionPool Pool { get; private set; } = new();

    public static ServiceProvider Provider { get; private set; } = NewProvider();

    public static event EventHandler? Changed;

    /// <summary>Undoes every leak, so later tests (LeakAssert's measurements among them) see a quiet heap.</summary>
    public static void Reset()
    {
        Changed = null;
        Source.Dispose();
        Source = new();
        Listener.Dispose();
        Listener = new("LeakGuard.Tests.PatternLeaks");
        ThreadLocals.ForEach(local => local.Dispose());
        ThreadLocals.Clear();
        Cache.Dispose();
        Cache = new(new MemoryCacheOptions());
        Pool = new();
        Provider.Dispose();
        Provider = NewProvider();
        foreach (var timer in Timers)
        {
            if (timer.TryGetTarget(out var alive))
            {
                alive.Dispose();
            }
        }

        Timers.Clear();
        foreach (var listener in EventListeners)
        {
            if (listener.TryGetTarget(out var alive))
            {
                alive.Dispose();
            }
        }

        EventListeners.Clear();
        s_flowStop.Set();
        FlowThreads.ForEach(thread => thread.Join());
        FlowThreads.Clear();
        s_flowStop.Dispose();
        s_flowStop = new();
        CallbackList.Callbacks.Clear();
        SessionRegistry.Sessions.Clear();
        BufferPool.Buffers.Clear();
    }

    private static ServiceProvider NewProvider() => new ServiceCollection().AddTransient<PatternDisposableService>().BuildServiceProvider();

    public static void RaiseChanged() => Changed?.Invoke(null, EventArgs.Empty);

    public static void SubscribeToStaticEvent(int count)
    {
        for (var i = 0; i < count; i++)
        {
            Changed += new PatternSubscriber().OnChanged;
        }
    }

    public static void RegisterOnLongLivedToken(int count)
    {
        for (var i = 0; i < count; i++)
        {
            Source.Token.Register(state => ((PatternCallbackState)state!).Calls++, new PatternCallbackState());
        }
    }

    public static void LinkToLongLivedToken(int count)
    {
        for (var i = 0; i < count; i++)
        {
            _ = CancellationTokenSource.CreateLinkedTokenSource(Source.Token);
        }
    }

    public static void ResolveFromRootProvider(int count)
    {
        for (var i = 0; i < count; i++)
        {
            _ = Provider.GetRequiredService<PatternDisposableService>();
        }
    }

    public static void CacheWithoutLimit(int count)
    {
        for (var i = 0; i < count; i++)
        {
            Cache.Set(Guid.NewGuid(), new PatternCacheValue());
        }
    }

    public static void StartTimersThatHoldTheirOwner(int count)
    {
        for (var i = 0; i < count; i++)
        {
            var owner = new PatternTimerOwner();
            owner.Timer = new Timer(static state => GC.KeepAlive(state), owner, TimeSpan.FromHours(1), TimeSpan.FromHours(1));
            Timers.Add(new WeakReference<Timer>(owner.Timer));
        }
    }

    public static void SubscribeToDiagnosticListener(int count)
    {
        for (var i = 0; i < count; i++)
        {
            _ = Listener.Subscribe(new PatternObserver());
        }
    }

    public static void CreateEventListeners(int count)
    {
        for (var i = 0; i < count; i++)
        {
            EventListeners.Add(new WeakReference<PatternEventListener>(new PatternEventListener()));
        }
    }

    /// <summary>
    /// A flow sets AsyncLocal values and starts a long-running thread, which runs in a copy of the flow's execution
    /// context and so keeps every value (the flow itself runs on a pool thread and leaves the caller's context untouched).
    /// </summary>
    public static void FlowAsyncLocalsIntoALongRunningThread(int count)
    {
        var stop = s_flowStop;
        using var started = new ManualResetEventSlim();
        var thread = Task.Run(() =>
        {
            for (var i = 0; i < count; i++)
            {
                _ = new AsyncLocal<PatternFlowValue> { Value = new PatternFlowValue() };
            }

            var worker = new Thread(() =>
            {
                started.Set();
                stop.Wait();
            })
            { IsBackground = true, Name = "pattern-flow-worker" };
            worker.Start();
            return worker;
        }).GetAwaiter().GetResult();
        started.Wait();
        FlowThreads.Add(thread);
    }

    /// <summary>Rents connections and, as on a path that throws before its return, never returns them.</summary>
    public static void RentWithoutReturning(int count)
    {
        for (var i = 0; i < count; i++)
        {
            var connection = Pool.Rent();
            try
            {
                CallUpstream();
                Pool.Return(connection);
            }
            catch (TimeoutException)
            {
                // The return came after the call that threw: the connection stays leased.
            }
        }
    }

    private static void CallUpstream() => throw new TimeoutException("upstream timed out");

    /// <summary>
    /// Creates thread-locals that are never disposed and sets each one's value on a pool thread, where the pattern leaks: the
    /// pool thread lives on, and so does every value set on it.
    /// </summary>
    public static void KeepThreadLocals(int count) =>
        Task.Run(() =>
        {
            for (var i = 0; i < count; i++)
            {
                ThreadLocals.Add(new ThreadLocal<PatternThreadValue>(() => new PatternThreadValue()) { Value = new PatternThreadValue() });
            }

            return Thread.CurrentThread.IsThreadPoolThread ? 0 : throw new InvalidOperationException("not on a pool thread");
        }).GetAwaiter().GetResult();
}
#pragma warning restore CA1001, CA2000
