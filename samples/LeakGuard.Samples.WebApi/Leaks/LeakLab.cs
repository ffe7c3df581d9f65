using System.Collections.Concurrent;

namespace LeakGuard.Samples.WebApi.Leaks;

/// <summary>Starts and stops the leaks: a running leak takes a number of steps per second on a timer.</summary>
public sealed class LeakLab : IDisposable
{
    private readonly ConcurrentDictionary<string, Timer> _running = new(StringComparer.OrdinalIgnoreCase);
    private readonly ConcurrentDictionary<string, int> _rates = new(StringComparer.OrdinalIgnoreCase);

    public LeakLab()
    {
        ILeak[] leaks =
        [
            new UnboundedCacheLeak(), new EventHandlerLeak(), new ClosureLeak(), new SeenIdsLeak(),
            new BlockedThreadLeak(), new UnreturnedPoolLeak(), new LogBufferLeak(), new UnmanagedMemoryLeak(),
        ];
        Leaks = leaks.ToDictionary(l => l.Name, StringComparer.OrdinalIgnoreCase);
    }

    public IReadOnlyDictionary<string, ILeak> Leaks { get; }

    /// <summary>The default number of steps per second: about 1 MB/s for the heap leaks, enough for a verdict within a minute.</summary>
    public static int DefaultStepsPerSecond(string name) => name switch
    {
        "threads" => 2,
        "registry" => 4,
        "unmanaged" => 16,
        _ => 64,
    };

    public bool IsRunning(string name) => _running.ContainsKey(name);

    public int Rate(string name) => _rates.TryGetValue(name, out var rate) ? rate : 0;

    public void Start(string name, int stepsPerSecond)
    {
        var leak = Leaks[name];
        Stop(name);
        _rates[name] = stepsPerSecond;

        // Ten ticks a second keep the growth smooth rather than in one jump per second.
        var perTick = Math.Max(1, stepsPerSecond / 10);
        var period = TimeSpan.FromMilliseconds(Math.Max(100, 1000.0 * perTick / stepsPerSecond));
        var timer = new Timer(_ =>
        {
            for (var i = 0; i < perTick; i++)
            {
                leak.Step();
            }
        });
        if (_running.TryAdd(name, timer))
        {
            timer.Change(TimeSpan.Zero, period);
        }
        else
        {
            timer.Dispose();
        }
    }

    public void Stop(string name)
    {
        if (_running.TryRemove(name, out var timer))
        {
            timer.Dispose();
        }

        _rates.TryRemove(name, out _);
    }

    public void Dispose()
    {
        foreach (var name in _running.Keys)
        {
            Stop(name);
        }
    }
}
